// Errors of accounts and grants. Kept with the module (same shape as errors.ts).
import { AppError } from '../../errors.js';

const define =
  (status: number, code: string, zh: string, en: string) =>
  (details?: unknown): AppError =>
    new AppError(status, code, { zh, en }, details);

export const accountErrors = {
  grantOrganisationRequired: define(
    400,
    'grant_organisation_required',
    '商户角色须指定所属的爱心商户',
    'A merchant role needs the merchant (shop) it works for',
  ),
  grantOrganisationKind: define(
    400,
    'grant_organisation_kind',
    '商户角色只能绑定爱心商户类组织',
    'A merchant role can only be tied to an organisation of the merchant kind',
  ),
  grantOrganisationOutOfRegion: define(
    400,
    'grant_organisation_out_of_region',
    '所选组织不在该角色的区域范围内',
    'The organisation does not lie within the region of this role',
  ),
  grantExists: define(
    409,
    'grant_exists',
    '该账号在该区域已有此角色，但所属组织不同：请先收回原角色再授予',
    'This account already holds this role in this region for another organisation: take that role away first',
  ),
};
