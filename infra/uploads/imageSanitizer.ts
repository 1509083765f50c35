import { CodedError } from '../../events/codedError';
import sharp from 'sharp';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export class ImageRejected extends CodedError {
  constructor(readonly reason: 'image_too_large' | 'file_corrupt') {
    super({ code: reason, category: 'validation' }, reason);
  }
}

/**
 * Re-encodes an image so nothing but pixels survives: EXIF (GPS, camera, time), XMP, ICC and
 * comments are dropped (sharp keeps no metadata unless asked). The EXIF orientation is applied
 * first so the picture still looks right without it. Decoding refuses more than `maxPixels`
 * (decompression bombs). sharp works on libuv's thread pool, so the event loop stays free.
 */
export const reencodeImage = async (
  input: Buffer,
  format: ImageFormat,
  maxPixels: number,
): Promise<Buffer> => {
  try {
    const image = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    return await image.toFormat(format, format === 'png' ? {} : { quality: 85 }).toBuffer();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw new ImageRejected(/pixel limit/i.test(message) ? 'image_too_large' : 'file_corrupt');
  }
};
