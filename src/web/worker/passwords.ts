// The server's rule for workers' and residents' passwords, checked before sending.

/** At least 8 characters and two of the four classes: lower case, upper case, digits, symbols. */
export function isStrongPublicPassword(password: string): boolean {
  if ([...password].length < 8) return false;
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length >= 2;
}
