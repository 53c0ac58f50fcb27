// Keeps personal data out of logs: values of sensitive query keys and anything shaped like a
// mainland mobile or ID number are masked before a URL is logged.
const SENSITIVE_KEYS = /^(phone|mobile|password|token|code|id_?number|idNumber)$/i;

export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const maskedPath = maskNumbers(pathPart);
  if (query === undefined) return maskedPath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (SENSITIVE_KEYS.test(key)) params.set(key, '[redacted]');
    else params.set(key, maskNumbers(params.get(key) ?? ''));
  }
  return `${maskedPath}?${params.toString()}`;
}

export function maskNumbers(text: string): string {
  return text.replace(/\d{17}[\dXx]|1[3-9]\d{9}/g, '[redacted]');
}
