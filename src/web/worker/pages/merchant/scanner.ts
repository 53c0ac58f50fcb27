// Reading a redemption's QR code with the phone camera: the browser's BarcodeDetector where it
// has one for QR codes, else jsQR, loaded on first use so it stays out of the main bundle.

/** Why the camera could not be used; each has its own message, and typing the code still works. */
export type ScanFailure = 'unsupported' | 'denied' | 'no_camera' | 'failed';

export class ScanError extends Error {
  constructor(readonly reason: ScanFailure) {
    super(reason);
  }
}

/** Opens the back camera (any camera where there is none). */
export async function openCamera(): Promise<MediaStream> {
  // Missing on old browsers and on pages not served over HTTPS.
  if (!navigator.mediaDevices?.getUserMedia) throw new ScanError('unsupported');
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') throw new ScanError('denied');
    if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new ScanError('no_camera');
    throw new ScanError('failed');
  }
}

export function stopCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Finds a QR code in the video's current frame: its text, or null. */
export type FrameDecoder = (video: HTMLVideoElement) => Promise<string | null>;

// Not yet in TypeScript's DOM library.
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

/** Frames are scaled down to this many pixels on their long side before jsQR reads them. */
const MAX_SIDE = 720;

export async function makeDecoder(): Promise<FrameDecoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector) {
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      if (formats.includes('qr_code')) {
        const detector = new Detector({ formats: ['qr_code'] });
        return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
      }
    } catch {
      // Present but unusable (no platform support): jsQR below.
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    const { videoWidth: width, videoHeight: height } = video;
    if (!context || !width || !height) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}
