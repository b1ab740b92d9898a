// Whether an HTTP status is a success, in a module of its own so that a command that only reads
// recorded answers (`received`) does not load the HTTP client to ask.
export const is2xx = (status: number): boolean => status >= 200 && status < 300;
