// `npm run build`: DSFR static assets into public/dsfr, then the Remix build.
import { build } from "./lib.mjs";

build();
