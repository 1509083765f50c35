import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { CodedError } from '../../events/codedError';

/** Another live process holds the data directory: this one must not start (nothing to retry). */
export class DataDirLockedError extends CodedError {
  constructor(dir: string, pid: number) {
    super(
      { code: 'data_dir_locked', category: 'unrecoverable' },
      `the data directory ${dir} is in use by process ${pid} (lock file ${path.join(dir, lockFileName)}); ` +
        'PGlite allows one process per directory: stop that process or set another WAYMARK_DATA_DIR',
    );
  }
}

export const lockFileName = 'waymark.lock';

type LockContent = Readonly<{ pid: number; host: string }>;

const readLock = (file: string): LockContent | null => {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host) } : null;
  } catch {
    // Unreadable or half-written (a crash between create and write): treat as stale.
    return null;
  }
};

/** kill(pid, 0) checks existence without signalling; EPERM means it exists under another user. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the data directory for this process: creates `waymark.lock` with O_EXCL (atomic, so two
 * processes starting together cannot both win) holding our PID. A lock whose PID is no longer
 * running (kill -9, power loss) is stale and is replaced. Two PGlite processes on one directory
 * corrupt it silently, which is why `npm start` refuses rather than warns. Returns the release,
 * also registered on process exit so even process.exit() frees the directory.
 */
export const lockDataDir = async (dir: string): Promise<() => void> => {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, lockFileName);
  const content = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, content);
      closeSync(fd);
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        // Only remove our own lock: a stale-lock takeover by someone else must not be undone.
        if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    // Our own PID in the file is a previous life of this container (PID 1 again): stale too.
    if (holder && holder.pid !== process.pid && alive(holder.pid)) {
      throw new DataDirLockedError(dir, holder.pid);
    }
    // Known gap: two processes replacing one stale lock at the very same instant could both
    // succeed (each removes, then creates). It needs a crash and two simultaneous restarts.
    rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock file in ${dir}`);
};
