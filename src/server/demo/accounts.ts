// Demo accounts, one per role, in the demo district 鲤城区. Their password is published in the
// README, so they exist only with demo data and are listed only on a loopback listener.
import type { Role } from '../modules/identity/tables.js';

export const DEMO_PASSWORD = 'Nuanxin@2026';

export interface DemoAccount {
  phone: string;
  role: Role;
  displayName: string;
  /** Names from the district down, resolved to codes when the demo data is loaded. */
  regionNames: string[];
  regionName: string;
  organisation?: string;
}

const LICHENG = '鲤城区';
const STREET = '海滨街道';

function account(phone: string, role: Role, displayName: string, regionNames: string[], organisation?: string): DemoAccount {
  return { phone, role, displayName, regionNames, regionName: regionNames.at(-1) ?? '泉州市', organisation };
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  account('13800000001', 'worker', '张师傅（外卖骑手）', [LICHENG]),
  account('13800000002', 'grid_member', '李网格员', [LICHENG, STREET]),
  account('13800000003', 'resident', '王阿姨', [LICHENG, STREET]),
  account('13800000004', 'merchant', '陈老板（爱心商户）', [LICHENG, STREET]),
  account('13800000005', 'station_staff', '林站长（暖新驿站）', [LICHENG, STREET]),
  account('13800000006', 'mediator', '黄调解员', [LICHENG], '鲤城区新就业群体快调队伍'),
  account('13800000007', 'department_handler', '吴经办（区人社局）', [LICHENG], '鲤城区人力资源和社会保障局'),
  account('13800000008', 'coordinator', '郑协调员（区党建办）', [LICHENG], '中共鲤城区委组织部党建办'),
  account('13800000009', 'admin', '蔡管理员', []),
  account('13800000010', 'system_admin', '系统管理员', []),
  account('13800000011', 'security_admin', '安全管理员', []),
  account('13800000012', 'audit_admin', '审计管理员', []),
  account('13800000013', 'coordinator', '许协调员（台商区）', ['泉州台商投资区']),
  account('13800000014', 'coordinator', '施协调员（海滨街道）', [LICHENG, STREET], '海滨街道办事处'),
  account('13800000024', 'merchant', '陈店长（老街茶铺）', [LICHENG, STREET], '老街茶铺（爱心商户）'),
];
