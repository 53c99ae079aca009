// The `bulwark` command's entry point. It turns Node's compile cache on before loading
// anything else, so that starts after the first skip stripping the TypeScript types
// and compiling again (a start takes ~300 ms instead of ~500 ms). The cache lives in
// the system's temporary directory (NODE_COMPILE_CACHE overrides it); it is only a cache.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./commands.ts');
