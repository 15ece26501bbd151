/**
 * Shapes people paste that are not key/value notation our patterns read, turned into it first:
 * saved HTML pages (JSON HTML-escaped, `&quot;requiredScopes&quot;`, split by highlighting `<span>` tags),
 * PHP `var_dump` / `print_r` of a decoded body (`["errcode"]=>` ⏎ `int(40014)`, `[errcode] => 40014`)
 * and Ruby's Hash#inspect (`{"errcode"=>60011, …}`, `:errcode=>`). Each pass runs only when its marker is there.
 */

const ENTITIES: Record<string, string> = { quot: '"', '#34': '"', '#x22': '"', '#39': "'", '#x27': "'", apos: "'", lt: '<', gt: '>', nbsp: ' ', amp: '&' };
const HTML_MARK = /&(?:quot|#34|#x22);|<span\b|<\/span>|<td\b/i;

/** A saved page's text: highlighting tags dropped, entities decoded (`&amp;` last, so `&amp;quot;` stays literal). */
export function decodeHtml(text: string): string {
  if ((!text.includes('&') && !text.includes('<')) || !HTML_MARK.test(text)) return text; // no mark without one of them
  return text
    .replace(/<\/?[A-Za-z][^<>\n]{0,400}>/g, '')
    .replace(/&(quot|#34|#x22|#39|#x27|apos|lt|gt|nbsp);/gi, (_, name: string) => ENTITIES[name.toLowerCase()]!)
    .replace(/&amp;/gi, '&');
}

/** PHP var_dump / print_r and Ruby hash inspect → `"key": value`. */
export function normalizeDumps(text: string): string {
  if (!text.includes('=>')) return text;
  return text
    // var_dump puts the value on the next line with its type: `int(40014)`, `string(24) "…"`.
    .replace(/\]=>[ \t]*\r?\n?[ \t]*(?:int|float)\((-?[\d.]+)\)/g, ']=> $1')
    .replace(/\]=>[ \t]*\r?\n?[ \t]*string\(\d+\) "/g, ']=> "')
    // PHP keys `["errcode"]=>` / `[errcode] =>`, Ruby keys `"errcode"=>` / `:errcode=>`.
    .replace(/\[(["']?)([A-Za-z_][\w-]*)\1\][ \t]*=>[ \t]*/g, '"$2": ')
    .replace(/(["'])([A-Za-z_][\w-]*)\1[ \t]*=>[ \t]*/g, '"$2": ')
    .replace(/(?<![\w:]):([A-Za-z_]\w*)[ \t]*=>[ \t]*/g, '"$1": ');
}
