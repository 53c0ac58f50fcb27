// Photos of a place: uploaded through the files module (judged by content, re-encoded without
// metadata), attached with subject 'place', and readable by anyone who may read the place.
import type { AppContext, Origin } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, requireRoleAt, type Actor } from '../identity/access.js';
import { attachFiles, deleteFileRow, downloadOf, loadFiles, removeFileBytes, uploadFile, type FileDownload, type UploadRequest } from '../files/service.js';
import { placeErrors } from './errors.js';
import * as q from './queries.js';
import { clockAt, EDITORS, lockForEdit, readablePlace } from './service.js';

/** Enough for a station's page; more is a gallery nobody scrolls. */
export const MAX_PHOTOS = 12;

export interface PlacePhoto {
  id: string;
  url: string;
  thumbnailUrl: string;
}

export function photoOf(placeId: string, fileId: string): PlacePhoto {
  return {
    id: fileId,
    url: `/api/places/${placeId}/photos/${fileId}`,
    thumbnailUrl: `/api/places/${placeId}/photos/${fileId}/thumbnail`,
  };
}

/** Adds a photo: the editor is checked before the upload is read; only photos are kept. */
export async function addPlacePhoto(
  ctx: AppContext,
  actor: Actor | null,
  placeId: string,
  request: UploadRequest,
  origin: Origin | null,
): Promise<PlacePhoto> {
  const me = requireActor(actor);
  const place = await q.findPlaceById(ctx.db, placeId, clockAt(new Date()));
  if (!place) throw errors.placeNotFound({ id: placeId });
  requireRoleAt(me, EDITORS, place.region_path);
  if (place.photo_ids.length >= MAX_PHOTOS) throw placeErrors.tooManyPhotos({ max: MAX_PHOTOS });
  const file = await uploadFile(ctx, me, request);
  try {
    if (file.kind !== 'image') throw errors.fileTypeNotAllowed({ reason: 'photos_only' });
    return await inTransaction(ctx.db, async (trx) => {
      const locked = await lockForEdit(trx, me, placeId);
      if (locked.photo_ids.length >= MAX_PHOTOS) throw placeErrors.tooManyPhotos({ max: MAX_PHOTOS });
      await attachFiles(trx, me, [file.id], { type: 'place', id: placeId });
      await q.setPhotoIds(trx, placeId, [...locked.photo_ids, file.id]);
      await appendAudit(trx, {
        actor: me,
        action: 'place.photo.add',
        target: { type: 'place', id: placeId, regionPath: locked.region_path, districtCode: locked.district_code },
        after: { fileId: file.id, sha256: file.sha256 },
        origin,
      });
      return photoOf(placeId, file.id);
    });
  } catch (error) {
    // The upload is still unattached: remove it now rather than leave it for the hourly sweep.
    await deleteFileRow(ctx.db, file.id, null);
    await removeFileBytes(ctx, file.id);
    throw error;
  }
}

export async function removePlacePhoto(
  ctx: AppContext,
  actor: Actor | null,
  placeId: string,
  fileId: string,
  origin: Origin | null,
): Promise<void> {
  const me = requireActor(actor);
  await inTransaction(ctx.db, async (trx) => {
    const place = await lockForEdit(trx, me, placeId);
    if (!place.photo_ids.includes(fileId)) throw placeErrors.photoNotFound({ id: fileId });
    await deleteFileRow(trx, fileId, { type: 'place', id: placeId });
    await q.setPhotoIds(
      trx,
      placeId,
      place.photo_ids.filter((id) => id !== fileId),
    );
    await appendAudit(trx, {
      actor: me,
      action: 'place.photo.remove',
      target: { type: 'place', id: placeId, regionPath: place.region_path, districtCode: place.district_code },
      before: { fileId },
      origin,
    });
  });
  await removeFileBytes(ctx, fileId);
}

/** A photo of a place the caller may read (signed out included); any other id is "not found". */
export async function openPlacePhoto(
  ctx: AppContext,
  actor: Actor | null,
  placeId: string,
  fileId: string,
  variant: FileDownload['variant'],
): Promise<FileDownload> {
  const place = await readablePlace(ctx.db, actor, placeId, new Date());
  if (!place.photo_ids.includes(fileId)) throw errors.fileNotFound({ id: fileId });
  const [file] = await loadFiles(ctx.db, [fileId]);
  if (!file || file.subject_type !== 'place' || file.subject_id !== placeId) throw errors.fileNotFound({ id: fileId });
  return downloadOf(ctx, file, variant);
}
