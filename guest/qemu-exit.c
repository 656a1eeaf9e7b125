// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit STATUS - leave QEMU with a status the host can read.
 *
 * The guest has no ACPI, so poweroff only halts. QEMU is started with
 * "-device isa-debug-exit,iobase=0xf4,iosize=0x04": a write of V to that
 * port makes QEMU exit with status (V << 1) | 1, which the host script
 * turns back into V.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	unsigned long status = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;

	if (ioperm(DEBUG_EXIT_PORT, 4, 1)) {
		perror("qemu-exit: ioperm");
		return 1;
	}
	outl(status & 0x7f, DEBUG_EXIT_PORT);
	fprintf(stderr, "qemu-exit: still running after the exit port write\n");
	return 1;
}
