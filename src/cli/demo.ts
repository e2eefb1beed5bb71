export async function run(_args: string[]) { throw new Error("demo: not yet"); }
