// Loading the roles the signed-in administrator may grant at a region, for the grant pickers.
import { ref, watch, type Ref } from 'vue';
import { api } from '../../../shared/api';
import type { Role } from '../../../shared/types';

export function useGrantableRoles(regionCode: Ref<string>) {
  const roles = ref<Role[]>([]);
  const loading = ref(false);
  let ticket = 0;
  watch(
    regionCode,
    async (code) => {
      const mine = ++ticket;
      roles.value = [];
      if (!code) return;
      loading.value = true;
      try {
        const result = await api.grantableRoles(code);
        if (mine === ticket) roles.value = result.roles;
      } catch {
        if (mine === ticket) roles.value = [];
      } finally {
        if (mine === ticket) loading.value = false;
      }
    },
    { immediate: true },
  );
  return { roles, loading };
}

const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '@#$%&*+=?';

/** A 12-character first password with every character class (no look-alike characters). */
export function generatePassword(): string {
  const pick = (alphabet: string): string => {
    const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
    return alphabet[n % alphabet.length] ?? 'a';
  };
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS), ...Array.from({ length: 8 }, () => pick(all))];
  // Shuffle so the classes do not sit in a fixed order.
  for (let i = chars.length - 1; i > 0; i--) {
    const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
    const j = n % (i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

/** The staff rule of the server: at least 8 characters and three of the four classes. */
export function isStrongStaffPassword(password: string): boolean {
  if (password.length < 8) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return classes >= 3;
}
