// The editor page (plugins/magazin/editor): Decap CMS must not start before redaktion.js has
// registered our file format, widget and preview; redaktion.js calls CMS.init() itself.
window.CMS_MANUAL_INIT = true;
