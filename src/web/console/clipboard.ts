// Copying to the clipboard with a message either way (the API needs a secure context).
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';

export async function copyText(text: string, t: (key: string) => string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    ElMessage.success(t('common.copied'));
  } catch {
    ElMessage.warning(t('common.copyFailed'));
  }
}
