// The little of Express 5 the journey suite's receivers use: the project has no @types/express
// (a devDependency only for the tests' real receivers), and these are Express's documented calls.
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Request extends IncomingMessage {
    /** A Buffer after express.raw(), the parsed JSON after express.json(). */
    body: unknown;
    get(name: string): string | undefined;
  }
  export interface Response extends ServerResponse {
    status(code: number): Response;
    type(contentType: string): Response;
    send(body: string | Buffer): Response;
    json(body: unknown): Response;
  }
  export type Handler = (req: Request, res: Response) => void;
  export type Middleware = (req: Request, res: Response, next: (err?: unknown) => void) => void;
  export interface Express {
    (req: IncomingMessage, res: ServerResponse): void;
    use(middleware: Middleware): Express;
    post(path: string, ...handlers: Array<Handler | Middleware>): Express;
    get(path: string, handler: Handler): Express;
  }
  interface ExpressFactory {
    (): Express;
    json(options?: { limit?: string | number; type?: string }): Middleware;
    raw(options?: { limit?: string | number; type?: string }): Middleware;
  }
  const express: ExpressFactory;
  export default express;
}
