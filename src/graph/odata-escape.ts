/*
 * User text must never change the shape of a query (graph-semantics §9b). Two quoting rules, then
 * encodeURIComponent on the whole value so that &, =, #, $ and + cannot start a new parameter
 * (the Graph SDK splits the query string on & and = before sending it).
 */

/** An OData string literal for `$filter` and key segments: single quotes doubled. */
export function quoteODataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * One `$search` clause, `"property:text"`. Inside the double quotes `\` and `"` are escaped with
 * a backslash (backslash first, or the escapes themselves would be doubled).
 */
export function quoteSearchTerm(property: string, text: string): string {
  return `"${property}:${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
