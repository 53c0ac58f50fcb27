// The number of unread in-app messages, shared by the pages that show a badge for it.
import { ref } from 'vue';
import { mattersApi } from '../../../shared/matters/api';
import { session } from '../../../shared/session';

export const unread = ref(0);

/** Asks the server again (after reading messages, or when a page with a badge opens). */
export async function refreshUnread(): Promise<void> {
  if (!session.me) {
    unread.value = 0;
    return;
  }
  try {
    unread.value = (await mattersApi.notifications(1)).unread;
  } catch {
    // A badge is not worth an error message; it stays as it was.
  }
}
