import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { FileStorage } from './fileStorage';

const safeKey = /^[A-Za-z0-9-]+(\/[A-Za-z0-9-]+)*(\.[a-z0-9]{1,5})?$/;

/**
 * FileStorage on a local directory: `<root>/quarantine/<key>` and `<root>/files/<key>`. Keys are
 * checked against a strict pattern so no key can climb out of the root.
 */
export const createLocalFileStorage = (root: string): FileStorage => {
  const at = (area: 'quarantine' | 'files', key: string) => {
    if (!safeKey.test(key)) throw new Error('invalid storage key');
    return path.join(root, area, key);
  };
  const ensureDir = (file: string) => mkdir(path.dirname(file), { recursive: true });

  return {
    quarantine(key) {
      const file = at('quarantine', key);
      const sink = createWriteStream(file, { flags: 'wx' });
      return { sink, written: finished(sink) };
    },
    readQuarantined: (key) => readFile(at('quarantine', key)),
    async publish(key, from) {
      const target = at('files', key);
      await ensureDir(target);
      if ('quarantined' in from) await rename(at('quarantine', from.quarantined), target);
      else await writeFile(target, from.bytes, { flag: 'wx' });
    },
    discard: (key) => rm(at('quarantine', key), { force: true }),
    remove: (key) => rm(at('files', key), { force: true }),
    async read(key) {
      try {
        return await readFile(at('files', key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async list(prefix) {
      const dir = at('files', prefix);
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.map((n) => `${prefix}/${n}`);
    },
  };
};

/** Creates the quarantine area once at start-up (files stream into it without a mkdir each). */
export const prepareLocalFileStorage = async (root: string): Promise<void> => {
  await mkdir(path.join(root, 'quarantine'), { recursive: true });
  await mkdir(path.join(root, 'files'), { recursive: true });
};
