// The security matrix's entries for the places routes added with check-ins, mobile stops,
// photos, export and posters (spread into ROUTES in test/security/matrix.ts).
import { multipart, pngWithAlpha } from '../files/fixtures.js';
import type { Probe, RouteSpec } from '../security/matrix.js';
import { json, send, type ActorName, type Call, type World } from '../security/world.js';

const forbidden = { status: 403, code: 'forbidden' } as const;
const HOUR = 3600_000;

const get = (url: string, as: Call['as']): Call => ({ method: 'GET', url, as });
const post = (url: string, as: Call['as'], payload?: unknown, headers?: Record<string, string>): Call => ({
  method: 'POST',
  url,
  as,
  ...(payload === undefined ? {} : { payload }),
  ...(headers ? { headers } : {}),
});
const del = (url: string, as: Call['as']): Call => ({ method: 'DELETE', url, as });

function each(as: ActorName[], what: string, call: (as: ActorName) => Call, expectation: Probe['expect']): Probe[] {
  return as.map((name) => ({ what: `${name}: ${what}`, call: call(name), expect: expectation }));
}

let counter = 0;
/** A fresh place of a street, made by someone who keeps its register (coordinator A or the district's). */
async function freshPlace(w: World, street: 'A' | 'B'): Promise<string> {
  counter += 1;
  const regionCode = street === 'A' ? w.streetA.code : w.streetB.code;
  const created = await json<{ id: string }>(
    w,
    post('/api/places', street === 'A' ? 'coordinatorA' : 'districtCoordinator', {
      name: `矩阵驿站${street}${counter}`,
      kind: 'warm_station',
      regionCode,
      address: '泉州市鲤城区矩阵路1号',
      location: { lat: 24.92, lng: 118.59 },
      amenities: ['rest_seats', 'phone_charging'],
      alwaysOpen: true,
    }),
  );
  return created.id;
}

function stopBody(regionCode: string) {
  counter += 1;
  return {
    name: `矩阵流动服务${counter}`,
    regionCode,
    location: { lat: 24.92, lng: 118.59 },
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + HOUR).toISOString(),
  };
}

async function photoCall(placeId: string, as: Call['as']): Promise<Call> {
  const body = multipart({ filename: 'station.png', data: await pngWithAlpha(200, 150) });
  return post(`/api/places/${placeId}/photos`, as, body.payload, body.headers);
}

/** A place of street A with a photo: [placeId, fileId]. */
async function placeWithPhoto(w: World): Promise<[string, string]> {
  const placeId = await freshPlace(w, 'A');
  const res = await send(w, await photoCall(placeId, 'coordinatorA'));
  if (res.statusCode !== 201) throw new Error(`photo upload: ${res.statusCode} ${res.body}`);
  return [placeId, (res.json() as { id: string }).id];
}

export const PLACE_ROUTES: Record<string, RouteSpec> = {
  'GET /api/places/catalogue': {
    public: 'the kinds and amenities are reference data for the map, never a person',
    entitled: async () => get('/api/places/catalogue', null),
  },
  'GET /api/places/:id/poster.png': {
    public: 'the poster of a public place, printed and hung on its wall',
    entitled: async (w) => get(`/api/places/${await freshPlace(w, 'B')}/poster.png`, null),
  },
  'GET /api/places/:id/photos/:fileId': {
    public: 'photos of a public place, shown on its page to anyone',
    entitled: async (w) => {
      const [placeId, fileId] = await placeWithPhoto(w);
      return get(`/api/places/${placeId}/photos/${fileId}`, null);
    },
  },
  'GET /api/places/:id/photos/:fileId/thumbnail': {
    public: 'photos of a public place, shown on its page to anyone',
    entitled: async (w) => {
      const [placeId, fileId] = await placeWithPhoto(w);
      return get(`/api/places/${placeId}/photos/${fileId}/thumbnail`, null);
    },
  },
  'POST /api/places/:id/photos': {
    entitled: async (w) => photoCall(await freshPlace(w, 'A'), 'coordinatorA'),
    probes: async (w) => {
      const inA = await freshPlace(w, 'A');
      const inB = await freshPlace(w, 'B');
      return [
        { what: 'coordinatorA: adds a photo to a place of street B', call: await photoCall(inB, 'coordinatorA'), expect: forbidden },
        { what: 'worker: adds a photo to a place', call: await photoCall(inA, 'worker'), expect: forbidden },
        { what: 'auditA: adds a photo to a place', call: await photoCall(inA, 'auditA'), expect: forbidden },
      ];
    },
  },
  'DELETE /api/places/:id/photos/:fileId': {
    entitled: async (w) => {
      const [placeId, fileId] = await placeWithPhoto(w);
      return del(`/api/places/${placeId}/photos/${fileId}`, 'coordinatorA');
    },
    probes: async (w) => {
      const [placeId, fileId] = await placeWithPhoto(w);
      const inB = await freshPlace(w, 'B');
      return [
        ...each(
          ['worker', 'auditA', 'handlerA'],
          'removes a photo of a place',
          (as) => del(`/api/places/${placeId}/photos/${fileId}`, as),
          forbidden,
        ),
        ...each(
          ['coordinatorA'],
          'removes a photo of a place of street B',
          (as) => del(`/api/places/${inB}/photos/${fileId}`, as),
          forbidden,
        ),
      ];
    },
  },
  'PUT /api/places/:id/amenities/:code': {
    entitled: async (w) => ({
      method: 'PUT',
      url: `/api/places/${await freshPlace(w, 'A')}/amenities/phone_charging`,
      as: 'coordinatorA',
      payload: { outOfService: true, note: '维修中' },
    }),
    probes: async (w) => {
      const inA = await freshPlace(w, 'A');
      const inB = await freshPlace(w, 'B');
      const put = (id: string, as: ActorName): Call => ({
        method: 'PUT',
        url: `/api/places/${id}/amenities/phone_charging`,
        as,
        payload: { outOfService: true },
      });
      return [
        ...each(['coordinatorA'], 'marks an amenity of street B out of service', (as) => put(inB, as), forbidden),
        ...each(['worker', 'auditA', 'handlerA'], 'marks an amenity out of service', (as) => put(inA, as), forbidden),
      ];
    },
  },
  'POST /api/places/:id/check-ins': {
    everyone: 'any worker may check in at any public place, in any region; other accounts are refused',
    entitled: async (w) => post(`/api/places/${await freshPlace(w, 'B')}/check-ins`, 'worker'),
    probes: async (w) => {
      const place = await freshPlace(w, 'A');
      return each(
        ['auditA', 'coordinatorA', 'citySecurity'],
        'checks in without being a worker',
        (as) => post(`/api/places/${place}/check-ins`, as),
        forbidden,
      );
    },
  },
  'GET /api/places/:id/visits': {
    entitled: async (w) => get(`/api/places/${await freshPlace(w, 'A')}/visits`, 'coordinatorA'),
    probes: async (w) => {
      const inA = await freshPlace(w, 'A');
      const inB = await freshPlace(w, 'B');
      return [
        ...each(['coordinatorA'], 'reads the visits of a place of street B', (as) => get(`/api/places/${inB}/visits`, as), forbidden),
        ...each(['worker', 'auditA', 'handlerA'], 'reads the visits of a place', (as) => get(`/api/places/${inA}/visits`, as), forbidden),
      ];
    },
  },
  'GET /api/places/export': {
    entitled: async (w) => get(`/api/places/export?format=csv&regionCode=${w.streetA.code}`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA'],
        'exports the places of street B',
        (as) => get(`/api/places/export?format=csv&regionCode=${w.streetB.code}`, as),
        forbidden,
      ),
      ...each(
        ['coordinatorA'],
        'exports the places of the district',
        (as) => get(`/api/places/export?format=csv&regionCode=${w.district.code}`, as),
        forbidden,
      ),
      ...each(
        ['worker', 'auditA', 'handlerA'],
        'exports places',
        (as) => get(`/api/places/export?format=csv&regionCode=${w.streetA.code}`, as),
        forbidden,
      ),
    ],
  },
  'POST /api/places/mobile-stops': {
    entitled: async (w) => post('/api/places/mobile-stops', 'coordinatorA', stopBody(w.streetA.code)),
    probes: (w) => [
      ...each(
        ['coordinatorA'],
        'schedules a stop in street B',
        (as) => post('/api/places/mobile-stops', as, stopBody(w.streetB.code)),
        forbidden,
      ),
      ...each(
        ['worker', 'auditA', 'handlerA'],
        'schedules a stop',
        (as) => post('/api/places/mobile-stops', as, stopBody(w.streetA.code)),
        forbidden,
      ),
    ],
  },
  'GET /api/places/mobile-stops': {
    entitled: async (w) => get(`/api/places/mobile-stops?regionCode=${w.streetA.code}`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA'],
        'lists the stops of street B',
        (as) => get(`/api/places/mobile-stops?regionCode=${w.streetB.code}`, as),
        forbidden,
      ),
      ...each(
        ['worker', 'auditA', 'handlerA'],
        'lists stops',
        (as) => get(`/api/places/mobile-stops?regionCode=${w.streetA.code}`, as),
        forbidden,
      ),
    ],
  },
  'DELETE /api/places/mobile-stops/:id': {
    entitled: async (w) => {
      const stop = await json<{ id: string }>(w, post('/api/places/mobile-stops', 'coordinatorA', stopBody(w.streetA.code)));
      return del(`/api/places/mobile-stops/${stop.id}`, 'coordinatorA');
    },
    probes: async (w) => {
      const inA = await json<{ id: string }>(w, post('/api/places/mobile-stops', 'coordinatorA', stopBody(w.streetA.code)));
      const inB = await json<{ id: string }>(w, post('/api/places/mobile-stops', 'districtCoordinator', stopBody(w.streetB.code)));
      return [
        ...each(['coordinatorA'], 'cancels a stop of street B', (as) => del(`/api/places/mobile-stops/${inB.id}`, as), forbidden),
        ...each(['worker', 'auditA', 'handlerA'], 'cancels a stop', (as) => del(`/api/places/mobile-stops/${inA.id}`, as), forbidden),
      ];
    },
  },
};
