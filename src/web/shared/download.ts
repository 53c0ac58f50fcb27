// Files to and from the server outside the JSON client (exports, posters, uploads), with the same
// error shape as every other call; and text the page already holds, saved as a file.
import { ApiError, readCookie } from './api';
import type { LocalizedText } from './types';

const UPLOAD_FAILED: LocalizedText = { zh: '上传失败，请重试', en: 'The upload failed. Please try again.' };
const DOWNLOAD_FAILED: LocalizedText = { zh: '下载失败，请重试', en: 'The download failed. Please try again.' };

/** A non-JSON call (upload, download) that failed: the server's error if it sent one. */
async function failure(response: Response, fallback: LocalizedText): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: LocalizedText; details?: unknown } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? fallback, body.error.details);
  } catch {
    // not JSON
  }
  return new ApiError(response.status, `http_${response.status}`, fallback);
}

/** The file name from a Content-Disposition header, preferring the UTF-8 form. */
function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers the text as a file download under the given name. */
export function downloadText(filename: string, text: string, type = 'text/plain;charset=utf-8'): void {
  save(new Blob([text], { type }), filename);
}

/** Fetches a file and offers it as a download; answers the name it was saved under. */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', DOWNLOAD_FAILED);
  }
  if (!response.ok) throw await failure(response, DOWNLOAD_FAILED);
  const name = attachmentName(response.headers.get('content-disposition'), fallbackName);
  save(await response.blob(), name);
  return name;
}

/** Sends a body that is not JSON (a form with a file, a CSV) and reads the JSON answer. */
export async function sendRaw<T>(method: 'POST' | 'PUT', url: string, body: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  const csrf = readCookie('nx_csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(url, { method, body, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', UPLOAD_FAILED);
  }
  if (!response.ok) throw await failure(response, UPLOAD_FAILED);
  return (await response.json()) as T;
}
