// The forms a secret takes in output: raw, percent-encoded (URLs), JSON-escaped, and base64 at each of
// the three byte alignments it can start at inside a longer encoded text (as CI systems mask secrets).

/** Below this, a base64 fragment is too short to be told from ordinary text. */
const MIN_BASE64_FRAGMENT = 8;

export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const form of base64Forms(secret)) forms.add(form);
  return [...forms].filter((form) => form.length > 0);
}

/**
 * The base64 characters that depend only on the secret's bytes, for each alignment: when a secret
 * starts k bytes into a 3-byte group, the characters of that group and of the last, incomplete group
 * also depend on the neighbouring bytes, so only whole groups in between are certain.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (const skip of [0, 1, 2]) {
    const body = bytes.subarray(skip);
    const whole = body.subarray(0, body.length - (body.length % 3));
    const encoded = whole.toString('base64');
    if (encoded.length >= MIN_BASE64_FRAGMENT) {
      forms.push(encoded);
      forms.push(encoded.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return forms;
}
