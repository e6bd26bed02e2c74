// TODO(version): `app_status` does not report the app's own version, so About shows the one
// in ui/package.json, which a release has to keep equal to src-tauri/tauri.conf.json's.

/** The app's version from package.json, put in by Vite's `define` at build time. */
declare const __APP_VERSION__: string;
