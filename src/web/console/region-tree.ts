// The console's lazily loaded region trees (scope picker, region pickers, the Regions page): one
// set of tree props and one loader, typed for Element Plus's loose node records.
import { ElMessage, type LoadFunction, type TreeNodeData, type TreeOptionProps } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { api, errorText } from '../shared/api';
import type { Region } from '../shared/types';

/** Element Plus hands nodes back as plain records; ours are always regions. */
export function asRegion(data: TreeNodeData): Region {
  return data as Region;
}

/** Labels in the chosen language; a region without children is a leaf. `value` is for tree-selects. */
export function regionTreeProps(label: (region: Region) => string): TreeOptionProps & { value: string } {
  return {
    value: 'code',
    label: (data) => label(asRegion(data)),
    isLeaf: (data) => asRegion(data).childCount === 0,
  };
}

/** The top level from `roots()`, and each branch's children from the server when it is opened. */
export function regionLoader(roots: () => Region[]): LoadFunction {
  return (node, resolve) => {
    if (node.level === 0) return resolve(roots());
    api.regions(asRegion(node.data).code).then(
      (result) => resolve(result.items),
      (error: unknown) => {
        ElMessage.error(errorText(error));
        resolve([]);
      },
    );
  };
}
