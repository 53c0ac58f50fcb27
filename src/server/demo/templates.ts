// The demo template library (文书模板库) of 鲤城区: ten standard documents a rights station hands
// out, generated at seed time — forms and registers as Excel workbooks, guides and samples as
// Word documents — and published through the templates module like any upload.
import { crc32 } from 'node:zlib';
import type ExcelJS from 'exceljs';
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { storeGeneratedFile } from '../modules/files/service.js';
import { publishTemplate } from '../modules/templates/service.js';
import type { TemplateCategory } from '../modules/templates/tables.js';

const DAY = 86_400_000;
const PUBLISHER_NAME = '鲤城区新就业群体维权服务站';

// ---- Word documents -------------------------------------------------------------------------

/** A paragraph of a generated document: a heading, a plain line, or a line to fill in. */
type Block = { h: string } | { p: string } | { fill: string };

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function paragraphXml(block: Block): string {
  const lang = '<w:lang w:eastAsia="zh-CN"/>';
  if ('h' in block) {
    return `<w:p><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="36"/>${lang}</w:rPr><w:t>${xmlText(block.h)}</w:t></w:r></w:p>`;
  }
  const text = 'p' in block ? block.p : `${block.fill}＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿`;
  return `<w:p><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr><w:r><w:rPr><w:sz w:val="24"/>${lang}</w:rPr><w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`;
}

/** A ZIP of stored (uncompressed) entries: all a .docx needs, and what content sniffing reads best. */
function zip(entries: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (46 << 9) | (1 << 5) | 1; // 2026-01-01
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    parts.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    directory.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** The smallest complete Word document: content types, the package relationship, the body. */
export function wordDocument(blocks: Block[]): Buffer {
  const body = blocks.map(paragraphXml).join('');
  return zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ],
    [
      'word/document.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
        body +
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>' +
        '</w:body></w:document>',
    ],
  ]);
}

// ---- Excel workbooks ------------------------------------------------------------------------

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** exceljs is loaded only when demo data is made, like the ledger export does. */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = PUBLISHER_NAME;
  return workbook;
}

/** A register: a title row, a note, bold bordered headers and empty bordered rows to fill in. */
async function register(
  sheetName: string,
  title: string,
  note: string,
  columns: [string, number][],
  rows: number,
  fill?: (row: ExcelJS.Row, n: number) => void,
  /** Columns (1-based) summed in a closing 合计 row. */
  totals: number[] = [],
): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet(sheetName, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1 } });
  sheet.columns = columns.map(([, width]) => ({ width }));
  sheet.mergeCells(1, 1, 1, columns.length);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 16 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  sheet.mergeCells(2, 1, 2, columns.length);
  sheet.getCell(2, 1).value = note;
  sheet.getCell(2, 1).font = { size: 10, color: { argb: 'FF666666' } };
  const header = sheet.getRow(3);
  header.values = columns.map(([name]) => name);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.height = 30;
  for (let n = 1; n <= rows; n += 1) {
    const row = sheet.getRow(3 + n);
    fill?.(row, n);
  }
  const last = 3 + rows + (totals.length > 0 ? 1 : 0);
  if (totals.length > 0) {
    const row = sheet.getRow(last);
    row.getCell(1).value = '合计';
    row.font = { bold: true };
    for (const c of totals) {
      const letter = sheet.getColumn(c).letter;
      row.getCell(c).value = { formula: `SUM(${letter}4:${letter}${3 + rows})` };
    }
  }
  for (let r = 3; r <= last; r += 1) {
    for (let c = 1; c <= columns.length; c += 1) sheet.getCell(r, c).border = BORDER;
  }
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A one-page application form: label cells on the left, space to write on the right. */
async function form(title: string, fields: [string, string?][], footer: string[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('申请表', { pageSetup: { paperSize: 9, fitToPage: true, fitToWidth: 1 } });
  sheet.columns = [{ width: 22 }, { width: 26 }, { width: 18 }, { width: 26 }];
  sheet.mergeCells('A1:D1');
  sheet.getCell('A1').value = title;
  sheet.getCell('A1').font = { bold: true, size: 16 };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  let r = 3;
  for (const [label, hint] of fields) {
    sheet.getCell(r, 1).value = label;
    sheet.getCell(r, 1).font = { bold: true };
    sheet.mergeCells(r, 2, r, 4);
    sheet.getCell(r, 2).value = hint ?? '';
    sheet.getCell(r, 2).font = { color: { argb: 'FF999999' }, size: 10 };
    sheet.getRow(r).height = hint && hint.length > 30 ? 60 : 26;
    sheet.getCell(r, 2).alignment = { wrapText: true, vertical: 'top' };
    for (let c = 1; c <= 4; c += 1) sheet.getCell(r, c).border = BORDER;
    r += 1;
  }
  r += 1;
  for (const line of footer) {
    sheet.mergeCells(r, 1, r, 4);
    sheet.getCell(r, 1).value = line;
    r += 1;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- the library ----------------------------------------------------------------------------

interface DemoTemplate {
  title: string;
  category: TemplateCategory;
  description: string;
  fileName: string;
  /** Days before today it was published, and how often it has been downloaded since. */
  daysAgo: number;
  downloads: number;
  make(): Buffer | Promise<Buffer>;
}

const SIGNATURE: Block[] = [{ p: '' }, { p: `${PUBLISHER_NAME}　编印` }, { p: '咨询电话：12333（人社服务热线）　12351（职工服务热线）' }];

const LIBRARY: DemoTemplate[] = [
  {
    title: '劳动合同范本（新就业形态适用）',
    category: 'contract',
    description:
      '适用于与配送站点、快递网点等用工单位建立劳动关系的骑手、快递员，列明工作内容、工时、劳动报酬、社会保险和解除条款，签订前可对照检查。',
    fileName: '劳动合同范本（新就业形态适用）.docx',
    daysAgo: 118,
    downloads: 86,
    make: () =>
      wordDocument([
        { h: '劳动合同（范本）' },
        { fill: '甲方（用人单位）名称：' },
        { fill: '统一社会信用代码：' },
        { fill: '乙方（劳动者）姓名：' },
        { fill: '居民身份证号码：' },
        { fill: '联系电话：' },
        {
          p: '根据《中华人民共和国劳动法》《中华人民共和国劳动合同法》等法律法规，甲乙双方遵循合法、公平、平等自愿、协商一致、诚实信用的原则，签订本合同。',
        },
        { p: '第一条　合同期限：自＿＿年＿＿月＿＿日起至＿＿年＿＿月＿＿日止，其中试用期至＿＿年＿＿月＿＿日止。' },
        { p: '第二条　工作内容和工作地点：乙方从事＿＿＿＿（如外卖配送、快递收派）工作，工作区域为＿＿＿＿。' },
        {
          p: '第三条　工作时间和休息休假：甲方合理安排工作时间和接单量，保障乙方每周至少休息一日；安排延长工作时间的，依法支付加班工资或安排补休。',
        },
        {
          p: '第四条　劳动报酬：乙方报酬按＿＿＿＿（计件/计时/底薪加计件）方式计算，计件单价和考核规则应事先书面告知乙方；甲方每月＿＿日前以货币形式足额支付上月报酬，不得低于当地最低工资标准，不得无故克扣或拖欠。',
        },
        { p: '第五条　社会保险：甲方依法为乙方办理社会保险并按时足额缴纳应由甲方承担的部分。' },
        {
          p: '第六条　劳动保护：甲方为乙方提供符合国家规定的劳动安全卫生条件和必要的劳动防护用品，开展交通安全等培训；高温、严寒等恶劣天气应采取防护措施。',
        },
        { p: '第七条　合同的变更、解除和终止按照《中华人民共和国劳动合同法》的规定执行；依法应当支付经济补偿的，甲方应予支付。' },
        {
          p: '第八条　争议处理：双方发生争议的，可以协商解决，也可以向调解组织申请调解；不愿调解或调解不成的，可以向劳动人事争议仲裁委员会申请仲裁。',
        },
        { p: '第九条　本合同一式两份，甲乙双方各执一份，自双方签字（盖章）之日起生效。' },
        { p: '' },
        { p: '甲方（盖章）：＿＿＿＿＿＿＿＿　　　　乙方（签字）：＿＿＿＿＿＿＿＿' },
        { p: '日期：＿＿年＿＿月＿＿日　　　　　　　日期：＿＿年＿＿月＿＿日' },
        ...SIGNATURE,
      ]),
  },
  {
    title: '劳动报酬结算指引',
    category: 'pay',
    description: '讲清配送费、计件单价、补贴和扣款怎么算、多久结一次，以及对结算有疑问时如何核对、向谁反映。',
    fileName: '劳动报酬结算指引.docx',
    daysAgo: 112,
    downloads: 64,
    make: () =>
      wordDocument([
        { h: '新就业形态劳动者劳动报酬结算指引' },
        {
          p: '一、事先知道怎么算。平台企业和用工单位应当公开劳动报酬的构成、计件单价、抽成比例、奖励和扣款规则及支付周期；规则调整前应当听取劳动者意见并提前公示。',
        },
        { p: '二、按时足额结算。劳动报酬至少每月支付一次，以货币形式支付到本人账户，不得以虚拟币、积分等代替；不得低于当地最低工资标准。' },
        { p: '三、扣款要有依据。超时、差评等扣款应当有明确规则，并能在平台上查询到每一笔扣款的订单和原因；没有依据的扣款可以要求退还。' },
        { p: '四、恶劣天气和夜间的补贴。高温、雨雪、夜间等时段的补贴标准应当公示，并在结算时单列。' },
        { p: '五、自己留好记录。建议每天截图保存接单记录、收入明细和扣款通知，每月用《配送费结算核对表》核对一次。' },
        {
          p: '六、有疑问怎么办：先通过平台或站点的申诉渠道提出；协商不成的，可到就近暖新驿站或维权服务站登记诉求，由快调队伍协助调解；也可拨打12333向人社部门咨询、投诉。',
        },
        ...SIGNATURE,
      ]),
  },
  {
    title: '配送费结算核对表',
    category: 'pay',
    description: '按天记录接单量、单价、补贴和扣款，自动算出应得与实收的差额，月底与平台结算单对账用。',
    fileName: '配送费结算核对表.xlsx',
    daysAgo: 104,
    downloads: 57,
    make: () =>
      register(
        '结算核对',
        '配送费结算核对表（＿＿年＿＿月）',
        '按日填写，对照平台收入明细；“应得配送费”“差额”两栏自动计算。差额不为零又查不清原因的，可到维权服务站咨询。',
        [
          ['日期', 12],
          ['接单量（单）', 12],
          ['平台单价（元/单）', 16],
          ['应得配送费（元）', 16],
          ['补贴/奖励（元）', 14],
          ['扣款项目', 18],
          ['扣款金额（元）', 14],
          ['实收金额（元）', 14],
          ['差额（元）', 12],
          ['备注', 24],
        ],
        31,
        (row, n) => {
          const r = row.number;
          row.getCell(1).value = `${n}日`;
          row.getCell(4).value = { formula: `B${r}*C${r}` };
          row.getCell(9).value = { formula: `D${r}+E${r}-G${r}-H${r}` };
        },
        [2, 4, 5, 7, 8, 9],
      ),
  },
  {
    title: '欠薪投诉登记表',
    category: 'pay',
    description: '维权服务站受理欠薪投诉时使用的登记表，记录投诉人、被投诉单位、欠薪期间和金额、证据材料及处理结果。',
    fileName: '欠薪投诉登记表.xlsx',
    daysAgo: 97,
    downloads: 41,
    make: () =>
      register(
        '登记表',
        '欠薪投诉登记表',
        '登记人员须告知投诉人个人信息仅用于处理本次投诉；联系电话等信息请妥善保管，不得外传。',
        [
          ['序号', 6],
          ['登记日期', 12],
          ['投诉人姓名', 12],
          ['联系电话', 14],
          ['从业类型', 12],
          ['所属平台/站点', 18],
          ['被投诉单位', 20],
          ['欠薪期间', 16],
          ['欠薪金额（元）', 14],
          ['证据材料', 20],
          ['诉求', 20],
          ['受理人', 10],
          ['处理结果', 20],
        ],
        20,
        (row, n) => {
          row.getCell(1).value = n;
        },
      ),
  },
  {
    title: '劳动争议调解申请书',
    category: 'mediation',
    description: '向快调队伍或劳动争议调解组织申请调解时填写，写明双方情况、调解请求和事实理由。',
    fileName: '劳动争议调解申请书.docx',
    daysAgo: 90,
    downloads: 38,
    make: () =>
      wordDocument([
        { h: '劳动争议调解申请书' },
        { p: '申请人：' },
        { fill: '姓名：' },
        { fill: '联系电话：' },
        { fill: '居住地址：' },
        { fill: '从业类型及所属平台/站点：' },
        { p: '被申请人：' },
        { fill: '单位名称：' },
        { fill: '地址：' },
        { fill: '负责人及联系电话：' },
        { p: '调解请求：' },
        { fill: '1．' },
        { fill: '2．' },
        { p: '事实和理由：' },
        { fill: '' },
        { fill: '' },
        { fill: '' },
        { p: '证据材料：聊天记录、接单及收入截图、工作证、考勤记录等（可另附清单）。' },
        { p: '此致' },
        { p: '鲤城区新就业群体快调队伍' },
        { p: '' },
        { p: '申请人（签名）：＿＿＿＿＿＿＿＿　　＿＿年＿＿月＿＿日' },
        ...SIGNATURE,
      ]),
  },
  {
    title: '工伤认定申请表',
    category: 'injury',
    description: '发生工作伤害后申请工伤认定时填写；用人单位应在事故发生之日起30日内提出申请，单位未申请的，本人或近亲属可在1年内申请。',
    fileName: '工伤认定申请表.xlsx',
    daysAgo: 83,
    downloads: 33,
    make: () =>
      form(
        '工伤认定申请表',
        [
          ['申请人'],
          ['与受伤职工关系', '本人 / 近亲属 / 用人单位 / 工会组织'],
          ['受伤职工姓名'],
          ['居民身份证号码'],
          ['联系电话'],
          ['用人单位名称'],
          ['用人单位地址'],
          ['从事工作及岗位', '如：外卖配送、快递收派'],
          ['事故时间'],
          ['事故地点'],
          ['受伤部位及诊断'],
          ['事故经过', '简要写明时间、地点、正在进行的工作、受伤经过，以及是否为交通事故'],
          ['申请事项', '请求认定为工伤（视同工伤）'],
        ],
        ['申请人（签名/盖章）：＿＿＿＿＿＿＿＿　　＿＿年＿＿月＿＿日', '随表提交的材料见《工伤认定申请材料清单》。'],
      ),
  },
  {
    title: '工伤认定申请材料清单',
    category: 'injury',
    description: '申请工伤认定需要准备的材料逐项列出，可打勾核对，避免来回跑。',
    fileName: '工伤认定申请材料清单.xlsx',
    daysAgo: 83,
    downloads: 47,
    make: () => {
      const items: [string, string, string][] = [
        ['工伤认定申请表', '1份', '本人或单位填写并签名（盖章）'],
        ['劳动关系证明材料', '1份', '劳动合同，或工资流水、工作证、考勤记录、接单记录等事实劳动关系证明'],
        ['医疗诊断证明', '1份', '首诊医院出具的诊断证明或病历'],
        ['受伤职工身份证复印件', '1份', '正反面'],
        ['事故经过说明', '1份', '写明时间、地点和经过，有证人的附证人证言及联系方式'],
        ['交通事故责任认定书', '1份', '属于交通事故的提供；暂未出具的可先说明情况'],
        ['授权委托书及受托人身份证复印件', '1份', '委托他人代办时提供'],
        ['近亲属关系证明', '1份', '由近亲属提出申请时提供'],
      ];
      return register(
        '材料清单',
        '工伤认定申请材料清单',
        '材料齐全后向用人单位所在地人社部门提交；不清楚的可到维权服务站现场咨询。',
        [
          ['序号', 6],
          ['材料名称', 30],
          ['份数', 8],
          ['说明', 56],
          ['已备（√）', 10],
        ],
        items.length,
        (row, n) => {
          const item = items[n - 1];
          if (!item) return;
          row.values = [n, ...item, '□'];
          row.alignment = { wrapText: true, vertical: 'middle' };
        },
      );
    },
  },
  {
    title: '职业伤害保障政策问答',
    category: 'insurance',
    description: '新就业形态就业人员职业伤害保障是什么、谁来缴费、出了事故怎么报案和申请待遇，一问一答说清楚。',
    fileName: '职业伤害保障政策问答.docx',
    daysAgo: 61,
    downloads: 72,
    make: () =>
      wordDocument([
        { h: '新就业形态就业人员职业伤害保障政策问答' },
        { p: '问：什么是职业伤害保障？' },
        {
          p: '答：为通过平台接单工作的骑手、网约车司机、货车司机等新就业形态就业人员提供的一项保障，在工作中受到事故伤害时，可按规定享受医疗费用、伤残待遇等保障。',
        },
        { p: '问：需要自己交钱吗？' },
        { p: '答：不需要。费用由平台企业按单缴纳，不得向劳动者收取或从报酬中扣除。' },
        { p: '问：哪些平台和人员能参加？' },
        { p: '答：以国家和本省人社部门公布的试点范围为准。可在平台App中查看是否已参加职业伤害保障。' },
        { p: '问：出了事故第一步做什么？' },
        { p: '答：先就医，同时尽快通过平台App或客服报案，保留好订单记录、就诊病历和票据；属于交通事故的，及时报警并取得事故认定书。' },
        { p: '问：职业伤害保障和商业意外险有什么区别？' },
        { p: '答：职业伤害保障是社会保障制度，由社会保险经办机构确认和支付待遇；商业意外险是保险合同，按保险条款理赔。两者可以同时享受。' },
        { p: '问：遇到平台不报案、待遇不支付怎么办？' },
        { p: '答：可以到暖新驿站、维权服务站登记诉求，或拨打12333咨询。' },
        ...SIGNATURE,
      ]),
  },
  {
    title: '新就业形态劳动者意外伤害保险投保登记表',
    category: 'insurance',
    description: '区总工会为新就业形态劳动者集中投保意外伤害保险时的登记表，由驿站或站点汇总后报送。',
    fileName: '意外伤害保险投保登记表.xlsx',
    daysAgo: 40,
    downloads: 29,
    make: () =>
      register(
        '投保登记',
        '新就业形态劳动者意外伤害保险投保登记表',
        '每人限登记一次；身份证号码和手机号码仅用于投保，请本人核对无误后签名。',
        [
          ['序号', 6],
          ['姓名', 12],
          ['居民身份证号码', 22],
          ['手机号码', 14],
          ['从业类型', 12],
          ['所属平台/站点', 18],
          ['所在街道', 14],
          ['本人签名', 12],
          ['备注', 16],
        ],
        30,
        (row, n) => {
          row.getCell(1).value = n;
        },
      ),
  },
  {
    title: '新就业形态劳动者权益保障指引',
    category: 'policy',
    description: '劳动报酬、休息、劳动安全、社会保险、职业伤害保障等权益一览，以及遇到问题时可以找谁、怎么找。',
    fileName: '新就业形态劳动者权益保障指引.docx',
    daysAgo: 20,
    downloads: 53,
    make: () =>
      wordDocument([
        { h: '新就业形态劳动者权益保障指引' },
        { p: '一、公平就业。不因性别、年龄、户籍等受到歧视，平台接单规则应当公开。' },
        { p: '二、劳动报酬。报酬规则事先公示，按时足额支付，不低于当地最低工资标准。' },
        { p: '三、休息。平台和用工单位应当合理确定接单量和在线时长，保障必要的休息。' },
        { p: '四、劳动安全。获得必要的安全培训和防护用品，高温、恶劣天气有防护措施。' },
        { p: '五、社会保险和职业伤害保障。可按规定参加养老、医疗等社会保险；在试点范围内的平台接单，享有职业伤害保障。' },
        { p: '六、诉求表达。对规则、报酬、扣款等有意见的，可以通过平台申诉渠道、工会或维权服务站反映。' },
        {
          p: '遇到问题可以找：就近暖新驿站（休息、饮水、充电，也可登记诉求）；区新就业群体维权服务站（咨询、调解）；快调队伍（人社、工会、律师联合调解）；12333人社服务热线；12351职工服务热线。',
        },
        ...SIGNATURE,
      ]),
  },
];

/** Publishes the demo library in the district's name, inside the demo data's transaction. */
export async function loadDemoTemplates(ctx: AppContext, trx: Db, input: { publisher: string; regionCode: string }): Promise<number> {
  const now = Date.now();
  for (const t of LIBRARY) {
    const file = await storeGeneratedFile(ctx, trx, { buffer: await t.make(), name: t.fileName, uploadedBy: input.publisher });
    await publishTemplate(
      trx,
      { system: true, userId: input.publisher, isDemo: true, downloads: t.downloads, at: new Date(now - t.daysAgo * DAY) },
      { title: t.title, category: t.category, description: t.description, fileId: file.id, regionCode: input.regionCode },
    );
  }
  return LIBRARY.length;
}
