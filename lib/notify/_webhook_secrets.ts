/**
 * The strings of a webhook's configuration that are secret: the URL (Slack-style URLs are tokens) as given and
 * normalised, its path and query, credentials in it, and header values with the token of `Bearer <token>` alone.
 */
export function webhookSecrets(rawUrl: string, headers: Record<string, string> = {}): string[] {
  const out = [rawUrl];
  if (URL.canParse(rawUrl)) {
    const url = new URL(rawUrl);
    out.push(url.href);
    // Parts shorter than 8 characters ("/hook", "?v=1") carry no token and would garble every message.
    const parts = [url.username, url.password, url.pathname + url.search, url.pathname, url.search];
    out.push(...parts.filter((part) => part.length >= 8));
  }
  for (const value of Object.values(headers)) {
    // Short words ("Bearer", "Basic") are not secrets; masking them would garble every message.
    out.push(value, ...value.split(/\s+/).filter((part) => part.length >= 8));
  }
  return out.filter((s) => s.length > 0);
}
