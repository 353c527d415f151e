// The browser bundle's surface: the IIFE assigns these to window.KinoAnalytics.
export { attachKinoAnalytics as attach } from "./attach.ts";
