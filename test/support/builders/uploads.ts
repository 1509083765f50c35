import sharp from 'sharp';

/** A marker planted in image metadata: it must never survive into stored files. */
export const exifCanary = 'canary-exif-4f1c9e';

const pixels = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } });

/** A real JPEG carrying EXIF text and GPS tags, as a phone would write it. */
export const jpegWithExif = (width = 64, height = 48): Promise<Buffer> =>
  pixels(width, height)
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: exifCanary, Artist: exifCanary, Make: 'TestPhone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLongitudeRef: 'W' },
    })
    .toBuffer();

export const png = (width = 32, height = 32): Promise<Buffer> =>
  pixels(width, height).png().toBuffer();

export const pdf = (): Buffer =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  );

/** Starts like a JPEG, then is garbage: typed as JPEG by its magic bytes, undecodable. */
export const brokenJpeg = (): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
    Buffer.alloc(2048, 7),
  ]);
