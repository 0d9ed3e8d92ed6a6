// Leaflet in Chinese, for every map of the platform. The template web/_leaflet.html loads it
// right after leaflet.js, so the defaults are set before a page creates its map.
(function () {
  "use strict";
  if (!window.L) return;
  L.Control.Zoom.mergeOptions({ zoomInTitle: "放大", zoomOutTitle: "缩小" });
  L.Control.Attribution.mergeOptions({
    prefix: '<a href="https://leafletjs.com" title="开源交互式地图库">Leaflet</a>',
  });
  // The popups' close button says "Close popup" to screen readers.
  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      const element = event.popup.getElement();
      const button = element && element.querySelector(".leaflet-popup-close-button");
      if (button) {
        button.setAttribute("aria-label", "关闭");
        button.title = "关闭";
      }
    });
  });
})();
