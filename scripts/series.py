#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the netns-core patch series (make series).

  series.py [--order | --export DIR | --import DIR]

Reads patches/recipe, commits its stanzas one by one on top of a git
baseline of build/pristine (build/series-base.git, made once per kernel
package version), and writes `git format-patch` output with a cover letter
to build/series/.  No work tree is checked out: overlay files are hashed
into a private index and patches/ files applied to it (git apply --cached).

--order only prints the patches/ files in recipe order (for prepare-src.sh).

Revisions (patches/steps/*.diff, "revise:" in the recipe) let an overlay
file grow over several commits.  To change a revised file, --export DIR
writes every version of the revised files, DIR/0 (before the first
revision) to DIR/N (after the last, the overlay); edit the versions that
hold the code to change, then --import DIR writes each revision anew as
the diff of two consecutive versions and DIR/N back to the overlay.

The author and Signed-off-by come from SERIES_AUTHOR ("Name <email>") or
from git config user.name and user.email; with neither, nothing is written.
Commit dates are the date of the repository's HEAD commit, so the same
sources give the same series.
"""

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, 'build')
PRISTINE = os.path.join(BUILD, 'pristine')
BASE_GIT = os.path.join(BUILD, 'series-base.git')
OUT = os.path.join(BUILD, 'series')
RECIPE = os.path.join(TOP, 'patches', 'recipe')
OVERLAY_DIRS = ('include', 'net', 'Documentation', 'tools')
PREFIX = os.environ.get('SERIES_PREFIX', 'PATCH net-next')


def die(msg):
    sys.exit(f'series: {msg}')


def git(*args, env=None, inp=None, cwd=TOP):
    full = dict(os.environ, GIT_DIR=BASE_GIT)
    full.update(env or {})
    res = subprocess.run(('git',) + args, cwd=cwd, env=full, input=inp,
                         capture_output=True, text=True)
    if res.returncode:
        die(f'git {" ".join(args)}: {res.stderr.strip()}')
    return res.stdout.strip()


def parse_recipe():
    """Return [(subject or None, [paths], body, [revisions])] in recipe order."""
    stanzas = []
    cur = None
    in_files = False
    for line in open(RECIPE, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('#'):
            continue
        if line.startswith('patch:'):
            cur = [None, line.split(None, 1)[1].split(), [], []]
            stanzas.append(cur)
            in_files = False
        elif line.startswith('commit:'):
            cur = [line.split(None, 1)[1].strip(), [], [], []]
            stanzas.append(cur)
            in_files = False
        elif cur and cur[0] and line.startswith('revise:'):
            cur[3] += line.split()[1:]
            in_files = False
        elif cur is None:
            if line.strip():
                die(f'recipe: text before the first stanza: {line}')
        elif cur[0] and line.startswith('files:'):
            cur[1] += line.split()[1:]
            in_files = True
        elif in_files and line[:1].isspace() and line.strip():
            cur[1] += line.split()
        else:
            in_files = False
            cur[2].append(line)
    out = []
    for subject, paths, body, revs in stanzas:
        text = '\n'.join(body).strip('\n')
        if subject is None and text:
            die(f'recipe: text after "patch: {paths[0]}" (its message is the patch\'s own)')
        if subject and not text:
            die(f'recipe: "{subject}" has no message')
        out.append((subject, paths, text, revs))
    return out


def revised_files(rev):
    """Overlay paths a revision diff touches."""
    files = set()
    for line in open(os.path.join(TOP, rev), encoding='utf-8'):
        m = re.match(r'(?:\+\+\+ b|--- a)/(\S+)', line)
        if m:
            files.add(m.group(1))
    if not files:
        die(f'{rev}: no file in it')
    return files


def patch_message(path):
    """Subject and body of a patches/ file: mbox headers or a plain first line."""
    lines = open(os.path.join(TOP, path), encoding='utf-8').read().split('\n')
    subject, body, i = None, [], 0
    if lines[0].startswith('From '):
        while lines[i]:
            if lines[i].startswith('Subject:'):
                subj = [lines[i][len('Subject:'):].strip()]
                while lines[i + 1][:1] in (' ', '\t'):
                    i += 1
                    subj.append(lines[i].strip())
                subject = re.sub(r'^\[PATCH[^]]*\]\s*', '', ' '.join(subj))
            i += 1
    else:
        subject, i = lines[0].strip(), 1
    for line in lines[i:]:
        if line == '---' or line.startswith('--- a/') or line.startswith('diff --git'):
            break
        if not line.startswith('Signed-off-by:'):
            body.append(line)
    if not subject:
        die(f'{path}: no subject')
    return subject, '\n'.join(body).strip('\n')


def overlay_files():
    files = []
    for d in OVERLAY_DIRS:
        for root, _, names in os.walk(os.path.join(TOP, d)):
            files += [os.path.relpath(os.path.join(root, n), TOP) for n in names]
    return sorted(files)


def expand(stanzas):
    """Resolve every path to overlay files or one patch; check coverage.

    A revision (patches/steps/*.diff) changes overlay files that an earlier
    stanza named, or creates one: those files are committed, before it, in
    the version the revision turns into the next one.
    """
    overlay = overlay_files()
    listed = sorted(f for f in os.listdir(os.path.join(TOP, 'patches'))
                    if f.endswith('.patch'))
    steps_dir = os.path.join(TOP, 'patches', 'steps')
    steps = sorted(f for f in os.listdir(steps_dir)) if os.path.isdir(steps_dir) else []
    seen_files, seen_patches, seen_revs, result = set(), [], [], []
    for subject, paths, body, revs in stanzas:
        items = []
        for p in paths:
            if p.startswith('patches/'):
                if not os.path.isfile(os.path.join(TOP, p)):
                    die(f'recipe: no file {p}')
                seen_patches.append(p)
                items.append(('patch', p))
                continue
            under = [f for f in overlay if f == p or f.startswith(p.rstrip('/') + '/')]
            if not under:
                die(f'recipe: {p} is no overlay file or directory')
            for f in under:
                if f in seen_files:
                    die(f'recipe: {f} is named twice')
                seen_files.add(f)
                items.append(('file', f))
        for r in revs:
            if not r.startswith('patches/steps/') or not os.path.isfile(os.path.join(TOP, r)):
                die(f'recipe: no revision {r} (revisions live in patches/steps/)')
            if r in seen_revs:
                die(f'recipe: {r} is named twice')
            seen_revs.append(r)
            for f in sorted(revised_files(r)):
                if f not in overlay:
                    die(f'{r}: {f} is no overlay file')
                seen_files.add(f)
            items.append(('revise', r))
        if subject is None:
            if len(items) != 1 or items[0][0] != 'patch':
                die(f'recipe: "patch:" takes exactly one patches/ file: {paths}')
            subject, body = patch_message(items[0][1])
        result.append((subject, items, body))
    missing = sorted(set(overlay) - seen_files)
    if missing:
        die('recipe: overlay files in no commit: ' + ' '.join(missing))
    if sorted(os.path.basename(p) for p in seen_patches) != listed:
        die('recipe: patches/ files must be named exactly once each')
    if sorted(os.path.basename(r) for r in seen_revs) != steps:
        die('recipe: patches/steps/ files must be named exactly once each')
    return result


def apply_diff(work, rev, reverse=False):
    """Apply revision @rev to the files under @work, or undo it."""
    args = ['git', 'apply'] + (['-R'] if reverse else []) + [os.path.join(TOP, rev)]
    # Outside any repository, so that git apply works on plain files.
    env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
    res = subprocess.run(args, cwd=work, capture_output=True, text=True, env=env)
    if res.returncode:
        how = 'undo' if reverse else 'apply'
        die(f'cannot {how} {rev} (does it still match the overlay?): {res.stderr.strip()}')


def early_versions(revs):
    """A work directory holding every file @revs touch as the first stanza
    sees it, and the set of those files."""
    work = tempfile.mkdtemp(prefix='netns-series-')
    atexit.register(shutil.rmtree, work, True)
    revised = set().union(*(revised_files(r) for r in revs))
    for f in sorted(revised):
        os.makedirs(os.path.join(work, os.path.dirname(f)), exist_ok=True)
        shutil.copy(os.path.join(TOP, f), os.path.join(work, f))
    for r in reversed(revs):
        apply_diff(work, r, reverse=True)
    return work, revised


def export_versions(revs, out):
    """Write DIR/0 .. DIR/N: the revised files before and after each revision."""
    if os.path.exists(out):
        die(f'{out} exists')
    work, _ = early_versions(revs)
    for i in range(len(revs) + 1):
        if i:
            apply_diff(work, revs[i - 1])
        shutil.copytree(work, os.path.join(out, str(i)))
    for i, r in enumerate(revs, 1):
        print(f'{out}/{i - 1} -> {out}/{i}: {r}')


def version_diff(old, new, files):
    """Unified diff, a/ and b/ paths, from tree @old to tree @new."""
    out = []
    for f in sorted(files):
        a, b = os.path.join(old, f), os.path.join(new, f)
        if not os.path.exists(a) and not os.path.exists(b):
            continue
        res = subprocess.run(['diff', '-u',
                              '--label', f'a/{f}' if os.path.exists(a) else '/dev/null',
                              '--label', f'b/{f}' if os.path.exists(b) else '/dev/null',
                              a if os.path.exists(a) else '/dev/null',
                              b if os.path.exists(b) else '/dev/null'],
                             capture_output=True, text=True)
        if res.returncode > 1:
            die(f'diff {f}: {res.stderr.strip()}')
        out.append(res.stdout)
    return ''.join(out)


def import_versions(revs, src):
    """Write each revision as the diff of two versions, and the last to the overlay."""
    files = set()
    for i in range(len(revs) + 1):
        d = os.path.join(src, str(i))
        if not os.path.isdir(d):
            die(f'no {d} (run --export first)')
        for root, _, names in os.walk(d):
            files |= {os.path.relpath(os.path.join(root, n), d) for n in names}
    for i, r in enumerate(revs, 1):
        text = version_diff(os.path.join(src, str(i - 1)), os.path.join(src, str(i)), files)
        if not text:
            die(f'{r}: versions {i - 1} and {i} are the same')
        with open(os.path.join(TOP, r), 'w', encoding='utf-8') as f:
            f.write(text)
    last = os.path.join(src, str(len(revs)))
    for f in sorted(files):
        if os.path.exists(os.path.join(last, f)):
            shutil.copy(os.path.join(last, f), os.path.join(TOP, f))
    print(f'series: {len(revs)} revisions written, {src}/{len(revs)} is the overlay')


def identity():
    ident = os.environ.get('SERIES_AUTHOR', '').strip()
    if ident:
        m = re.fullmatch(r'(.+?)\s*<([^<>\s]+@[^<>\s]+)>', ident)
        if not m:
            die('SERIES_AUTHOR must look like "Name <email>"')
        return m.group(1), m.group(2)

    def conf(key):
        res = subprocess.run(['git', 'config', key], cwd=TOP,
                             capture_output=True, text=True)
        return res.stdout.strip()
    name, email = conf('user.name'), conf('user.email')
    if not name or not email:
        die('no author: set SERIES_AUTHOR="Name <email>", or git config '
            'user.name and user.email')
    return name, email


def baseline():
    """The baseline commit: build/pristine, committed once per package version."""
    ver = open(os.path.join(PRISTINE, '.netns-core-pkgver')).read().strip()
    if os.path.isdir(BASE_GIT):
        try:
            msg = git('log', '-1', '--format=%B', 'refs/tags/baseline')
            if msg.endswith(f'({ver})'):
                return git('rev-parse', 'refs/tags/baseline^{commit}')
        except SystemExit:
            pass
        subprocess.run(['rm', '-rf', BASE_GIT], check=True)
    print(f'series: committing build/pristine ({ver}) as the baseline, once')
    subprocess.run(['git', 'init', '-q', '--bare', BASE_GIT], check=True)
    with open(os.path.join(BASE_GIT, 'info', 'exclude'), 'a') as f:
        f.write('/.netns-core-*\n')
    env = {'GIT_WORK_TREE': PRISTINE, 'GIT_INDEX_FILE': BASE_GIT + '/base-index'}
    # -f: Debian's tarball ships files that the kernel's .gitignore lists.
    git('add', '-f', '-A', '.', env=env, cwd=PRISTINE)
    tree = git('write-tree', env=env)
    who = {'GIT_AUTHOR_NAME': 'baseline', 'GIT_AUTHOR_EMAIL': 'baseline@localhost',
           'GIT_COMMITTER_NAME': 'baseline', 'GIT_COMMITTER_EMAIL': 'baseline@localhost',
           'GIT_AUTHOR_DATE': '2000-01-01T00:00:00Z',
           'GIT_COMMITTER_DATE': '2000-01-01T00:00:00Z'}
    commit = git('commit-tree', tree, '-m', f'Linux 6.12 from linux-source-6.12 ({ver})',
                 env=who)
    git('tag', '-f', 'baseline', commit)
    os.remove(BASE_GIT + '/base-index')
    return commit


def readme_section(pattern, stop):
    """Lines of README.md from the first match of pattern to the line matching stop."""
    lines = open(os.path.join(TOP, 'README.md'), encoding='utf-8').read().split('\n')
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            out = []
            for line in lines[i:]:
                if out and re.search(stop, line):
                    break
                out.append(line)
            return '\n'.join(out)
    die(f'README.md: no "{pattern}"')


def cover_letter(path):
    table = readme_section(r'^\| case \| L \|', r'^\s*$')
    when = re.match(r'Latest run, [^,]*', readme_section(r'^Latest run, ', r'^\s*$')).group(0)
    counts = re.search(r'The last run: (\d+ passed, \d+ failed)',
                       open(os.path.join(TOP, 'README.md')).read())
    blurb = open(os.path.join(TOP, 'patches', 'cover-letter'), encoding='utf-8').read()
    blurb = blurb.replace('@BENCH_TABLE@', table)
    blurb = blurb.replace('@BENCH_WHEN@', when)
    blurb = blurb.replace('@CHECK_COUNTS@', counts.group(1) if counts else '(not recorded)')
    subject, _, body = blurb.partition('\n')
    text = open(path, encoding='utf-8').read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', body.strip('\n'))
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    stanzas = parse_recipe()
    if sys.argv[1:] == ['--order']:
        for _, paths, _, _ in stanzas:
            for p in paths:
                if p.startswith('patches/'):
                    print(os.path.basename(p))
        return
    if len(sys.argv) == 3 and sys.argv[1] in ('--export', '--import'):
        revs = [r for _, _, _, rs in stanzas for r in rs]
        if sys.argv[1] == '--export':
            export_versions(revs, sys.argv[2])
        else:
            import_versions(revs, sys.argv[2])
        return
    commits = expand(stanzas)
    name, email = identity()
    base = baseline()
    date = subprocess.run(['git', 'log', '-1', '--format=%cI'], cwd=TOP,
                          capture_output=True, text=True).stdout.strip()
    who = {'GIT_AUTHOR_NAME': name, 'GIT_AUTHOR_EMAIL': email,
           'GIT_COMMITTER_NAME': name, 'GIT_COMMITTER_EMAIL': email,
           'GIT_AUTHOR_DATE': date, 'GIT_COMMITTER_DATE': date}
    index = os.path.join(BUILD, 'series-index')
    env = dict(who, GIT_INDEX_FILE=index)
    git('read-tree', base, env=env)
    work, revised = early_versions([path for _, items, _ in commits
                                    for kind, path in items if kind == 'revise'])
    committed = set()

    def add(path, full):
        mode = '100755' if os.access(full, os.X_OK) else '100644'
        blob = git('hash-object', '-w', full)
        git('update-index', '--add', '--cacheinfo', f'{mode},{blob},{path}', env=env)
        committed.add(path)

    parent = base
    for subject, items, body in commits:
        for kind, path in items:
            if kind == 'patch':
                git('apply', '--cached', os.path.join(TOP, path), env=env)
            elif kind == 'file':
                early = os.path.join(work, path)
                if path in revised and not os.path.exists(early):
                    die(f'{path} is named before the revision that creates it')
                add(path, early if path in revised else os.path.join(TOP, path))
            else:
                for f in sorted(revised_files(path)):
                    if os.path.exists(os.path.join(work, f)) and f not in committed:
                        die(f'{path} revises {f} before a stanza names it')
                apply_diff(work, path)
                for f in sorted(revised_files(path)):
                    if os.path.exists(os.path.join(work, f)):
                        add(f, os.path.join(work, f))
                    else:
                        git('update-index', '--force-remove', f, env=env)
        tree = git('write-tree', env=env)
        msg = f'{subject}\n\n{body}\n\nSigned-off-by: {name} <{email}>\n'
        parent = git('commit-tree', tree, '-p', parent, '-F', '-', env=who, inp=msg)
    # Every revision applied: the work files are the overlay again.
    for root, _, names in os.walk(work):
        for n in names:
            f = os.path.relpath(os.path.join(root, n), work)
            with open(os.path.join(root, n), 'rb') as a, open(os.path.join(TOP, f), 'rb') as b:
                if a.read() != b.read():
                    die(f'{f}: the revisions do not end at the overlay file')
    os.remove(index)
    git('update-ref', 'refs/heads/series', parent)
    subprocess.run(['rm', '-rf', OUT], check=True)
    git('format-patch', '-q', '--cover-letter', f'--subject-prefix={PREFIX}',
        '--base', base, '-o', OUT, f'{base}..{parent}', env=who)
    cover = [f for f in sorted(os.listdir(OUT)) if f.startswith('0000-')][0]
    cover_letter(os.path.join(OUT, cover))
    for f in sorted(os.listdir(OUT)):
        print(f'build/series/{f}')
    print(f'series: {len(commits)} patches and a cover letter in build/series, '
          f'on top of build/series-base.git tag baseline; branch series')


if __name__ == '__main__':
    main()
