import { fileTypeFromBuffer } from 'file-type';

/** The media type a file's leading bytes show (magic numbers), or null when unknown. */
export const sniffType = async (head: Buffer): Promise<string | null> =>
  (await fileTypeFromBuffer(head))?.mime ?? null;
