// Reports written without a network wait on the phone (IndexedDB: photos as compressed JPEG
// blobs) and are sent when it returns, each exactly once: its Idempotency-Key is fixed when it is
// written, and uploaded photo ids are remembered so a retry does not upload them again.
import { ApiError } from '../../../shared/api';
import { reportsApi, type ReportDraft } from './api';

export interface QueuedReport {
  key: string;
  draft: Omit<ReportDraft, 'photos'>;
  blobs: Blob[];
  /** Server ids of the photos already uploaded, by position. */
  uploaded: (string | null)[];
  /** Set when the server refused it (not a network failure): shown, not retried. */
  error: string | null;
}

const DB = 'nx-reports';
const STORE = 'queue';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    tx.onerror = () => reject(tx.error);
  });
}

export const queued = (): Promise<QueuedReport[]> => run('readonly', (s) => s.getAll() as IDBRequest<QueuedReport[]>);
export const save = (item: QueuedReport) => run('readwrite', (s) => s.put(item));
export const drop = (key: string) => run('readwrite', (s) => s.delete(key));

export function newKey(): string {
  return `r-${crypto.randomUUID()}`;
}

let flushing: Promise<number> | null = null;

/** Sends what waits; returns how many were sent. Network failures leave items for the next try. */
export function flush(): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const item of await queued()) {
        if (item.error) continue;
        try {
          for (const [i, blob] of item.blobs.entries()) {
            if (item.uploaded[i]) continue;
            item.uploaded[i] = (await reportsApi.upload(blob)).id;
            await save(item);
          }
          await reportsApi.send({ ...item.draft, photos: item.uploaded.filter((id): id is string => !!id) }, item.key);
          await drop(item.key);
          sent += 1;
        } catch (error) {
          if (error instanceof ApiError && error.status === 0) break;
          item.error = error instanceof ApiError ? error.text() : String(error);
          await save(item);
        }
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}
