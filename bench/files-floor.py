#!/usr/bin/env python3
"""The file-system floor of receiving many small files (issue 12), without any network or sockit.

    python3 bench/files-floor.py [FILES] [ROUNDS]     # default 10000 files of 4 KiB in 100 folders, 3 rounds

Times only the calls a receiver must make per file, in three ways, interleaved, each round into a new folder under $WORK (default /tmp):
  create   what `tar x` does: lstat the name, open it O_CREAT|O_EXCL, write, set mtime, close.
  rename   what `sockit receive` must do (no file under its final name before its hash is verified): lstat the
           name, open a partial name O_CREAT|O_EXCL, write, set mtime, close, rename onto the final name.
  tmpfile  the same guarantee with no partial name (Linux): open the folder O_TMPFILE (an unnamed inode), write, set
           mtime, linkat it to the final name (via /proc/self/fd, AT_SYMLINK_FOLLOW), close.
With WORKERS=2 the rename way also runs in 2 processes (each its own folders): what a receiver writing files on both
cores could reach. Prints one Markdown row per round: wall seconds, then user + system CPU seconds.
"""
import ctypes
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

FILES = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
FOLDERS = 100
DATA = os.urandom(4096)
LIBC = ctypes.CDLL(None, use_errno=True)


def write_files(root, way, part, parts):
    """Writes this part's files; returns the CPU seconds it took (user + system)."""
    before = os.times()
    for i in range(part, FILES, parts):
        folder = os.path.join(root, 'd%02d' % (i % FOLDERS))
        name = os.path.join(folder, 'f%05d' % i)
        try:
            os.lstat(name)
        except FileNotFoundError:
            pass
        if way == 'tmpfile':
            fd = os.open(folder, os.O_WRONLY | os.O_TMPFILE, 0o644)
        else:
            target = name if way == 'create' else os.path.join(folder, '.f%05d.partial' % i)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, DATA)
        os.utime(fd, ns=(1_700_000_000 * 10**9, 1_700_000_000 * 10**9))
        if way == 'tmpfile':
            if LIBC.linkat(-100, f'/proc/self/fd/{fd}'.encode(), -100, name.encode(), 0x400) != 0:  # AT_FDCWD, AT_SYMLINK_FOLLOW
                raise OSError(ctypes.get_errno(), 'linkat', name)
        os.close(fd)
        if way == 'rename':
            os.rename(target, name)
    after = os.times()
    return after.user + after.system - before.user - before.system


def one(way, workers, pool):
    root = tempfile.mkdtemp(prefix='files-floor-', dir=os.environ.get('WORK', '/tmp'))
    for i in range(FOLDERS):
        os.mkdir(os.path.join(root, 'd%02d' % i))
    os.sync()
    start = time.perf_counter()
    if workers == 1:
        cpu = write_files(root, way, 0, 1)
    else:
        cpu = sum(pool.map(write_files, [root] * workers, [way] * workers, range(workers), [workers] * workers))
    return time.perf_counter() - start, cpu


def main():
    workers = int(os.environ.get('WORKERS', '1'))
    ways = [('create', 1), ('rename', 1), ('tmpfile', 1)] + ([('rename', workers)] if workers > 1 else [])
    print('| round | ' + ' | '.join(f'{w} ×{n}: wall s / CPU s' for w, n in ways) + ' |')
    print('|---:|' + '---:|' * len(ways))
    with ProcessPoolExecutor(max(workers, 1)) as pool:
        for r in range(1, ROUNDS + 1):
            cells = [one(w, n, pool) for w, n in (ways if r % 2 else ways[::-1])]
            cells = cells if r % 2 else cells[::-1]
            print(f'| {r} | ' + ' | '.join(f'{wall:.3f} / {cpu:.2f}' for wall, cpu in cells) + ' |')


if __name__ == '__main__':
    main()
