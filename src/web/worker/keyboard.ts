// Vant renders some controls (tab bar items, clickable cells) as focusable <div>s with a role
// but no key handling: Enter and Space activate them here, as they would a native button.
const ACTIVATABLE = '[role="button"]:not(button):not(a), [role="tab"]:not(button):not(a)';

export function activateRolesWithKeyboard(root: HTMLElement | Document = document): void {
  root.addEventListener('keydown', (event) => {
    const e = event as KeyboardEvent;
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const target = e.target;
    if (!(target instanceof HTMLElement) || !target.matches(ACTIVATABLE)) return;
    e.preventDefault();
    target.click();
  });
}
