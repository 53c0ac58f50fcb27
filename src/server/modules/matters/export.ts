// Excel export of the ledger: exactly the rows of the filtered ledger, streamed page by page with
// keyset pagination into a streaming workbook writer, so memory stays flat however many rows.
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { AppContext, Origin } from '../../context.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import { isOverdue, WORKFLOWS } from './kinds/index.js';
import { buildLedgerFilter, type LedgerQuery } from './ledger.js';
import { findLedgerPage, sortKeyOf, type Cursor } from './ledger-queries.js';
import { maskName } from './present.js';

const BATCH = 1000;
const ZIP_BACKLOG_LIMIT = 2 * 1024 * 1024;

/**
 * Bytes of sheet XML written but not yet compressed. exceljs 4.4 hands rows to the zip writer
 * without backpressure, and deflating is slower than writing rows, so without waiting for it the
 * whole sheet would pile up in memory. Reads the stream exceljs pipes the sheet into (internal,
 * hence pinned exceljs); 0 when the shape is not as expected.
 */
function zipBacklog(sheet: unknown): number {
  const target = (sheet as { stream?: { pipes?: { _readableState?: { length?: number }; _writableState?: { length?: number } }[] } }).stream
    ?.pipes?.[0];
  return (target?._readableState?.length ?? 0) + (target?._writableState?.length ?? 0);
}
const SATISFACTION: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', not_satisfied: '不满意' };
const OUTCOME: Record<string, string> = { resolved: '已解决', partly_resolved: '部分解决', unresolved: '未解决', explained: '已解释说明' };
const CHANNEL: Record<string, string> = { app: '线上', desk: '窗口', phone: '电话', hotline: '热线', walk_in: '来访' };

function localTime(d: Date | null): string {
  if (!d) return '';
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function exportLedger(
  ctx: AppContext,
  actor: Actor | null,
  query: Omit<LedgerQuery, 'cursor' | 'limit' | 'withTotal'>,
  origin: Origin,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const me = requireActor(actor);
  const filter = await buildLedgerFilter(ctx.db, me, query);
  await appendAudit(ctx.db, { actor: me, action: 'matter.export', after: { query }, origin });

  // Loaded on first use: most processes never export, and exceljs is large.
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '编号', key: 'number', width: 10 },
    { header: '类型', key: 'kind', width: 8 },
    { header: '类别', key: 'category', width: 16 },
    { header: '标题', key: 'title', width: 36 },
    { header: '状态', key: 'status', width: 10 },
    { header: '区域', key: 'region', width: 16 },
    { header: '渠道', key: 'channel', width: 8 },
    { header: '当事人', key: 'contact', width: 10 },
    { header: '联系电话', key: 'phone', width: 14 },
    { header: '承办单位', key: 'owner', width: 28 },
    { header: '办理期限', key: 'due', width: 17 },
    { header: '是否超期', key: 'overdue', width: 9 },
    { header: '督办级别', key: 'supervision', width: 9 },
    { header: '重启次数', key: 'reopens', width: 9 },
    { header: '办理结果', key: 'outcome', width: 12 },
    { header: '满意度', key: 'satisfaction', width: 10 },
    { header: '追回金额（元）', key: 'money', width: 14 },
    { header: '登记时间', key: 'created', width: 17 },
    { header: '办结时间', key: 'closed', width: 17 },
  ];
  sheet.getRow(1).font = { bold: true };

  const stamp = localTime(new Date()).slice(0, 10);
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header(
      'content-disposition',
      `attachment; filename="ledger-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`台账-${stamp}.xlsx`)}`,
    )
    .header('cache-control', 'private, no-store');

  const write = async () => {
    let after: Cursor | null = null;
    const now = Date.now();
    for (;;) {
      const rows = await findLedgerPage(ctx.db, filter, query.sort, after, BATCH);
      for (const r of rows) {
        const workflow = WORKFLOWS[r.kind];
        sheet
          .addRow({
            number: Number(r.number),
            kind: workflow?.label.zh ?? r.kind,
            category: workflow?.categories[r.category]?.label.zh ?? r.category,
            title: r.title,
            status: workflow?.states[r.status]?.label.zh ?? r.status,
            region: r.region_name,
            channel: CHANNEL[r.channel] ?? r.channel,
            contact: maskName(r.contact_name) ?? '',
            phone: r.contact_phone_masked ?? '',
            owner: r.owner_org_name ?? '',
            due: localTime(r.due_at),
            overdue: isOverdue(r, now) ? '是' : '',
            supervision: r.supervision_level || '',
            reopens: r.reopen_count || '',
            outcome: r.outcome ? (OUTCOME[r.outcome] ?? r.outcome) : '',
            satisfaction: r.satisfaction ? (SATISFACTION[r.satisfaction] ?? r.satisfaction) : '',
            money: Number(r.money_recovered) || '',
            created: localTime(r.created_at),
            closed: localTime(r.closed_at),
          })
          .commit();
      }
      const last = rows.at(-1);
      if (rows.length < BATCH || !last) break;
      after = { key: sortKeyOf(last, query.sort), id: last.id };
      // Let compression and a slow reader catch up before fetching more (see zipBacklog).
      while (zipBacklog(sheet) > ZIP_BACKLOG_LIMIT || out.writableNeedDrain) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    ctx.log.error({ err: error }, 'ledger export failed');
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply.send(out);
}
