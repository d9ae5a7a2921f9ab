/**
 * Reading a GraphQL-over-HTTP answer, shared by the Tally and Snapshot clients.
 */

/**
 * The answer's `data`. The body must be JSON; its `errors`, or a non-2xx status, are failures.
 * Each failure is reported through `fail` as `<where>: <the server's own words>`.
 */
export async function graphqlData(res: Response, where: string, fail: (message: string) => Error): Promise<unknown> {
  const text = await res.text();
  let body: { data?: unknown; errors?: { message: string }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw fail(`${where}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw fail(`${where}: ${body.errors.map((e) => e.message).join("; ")}`);
  if (!res.ok) throw fail(`${where}: HTTP ${res.status}`);
  return body.data;
}
