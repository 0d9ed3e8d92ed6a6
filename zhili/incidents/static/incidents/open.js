// The desk's form that opens an incident: the point clicked on the map fills #id_lat/#id_lng.
(function () {
  "use strict";
  const node = document.getElementById("incident-pick");
  if (!node || !window.zhiliMap) return;
  const config = JSON.parse(document.getElementById("incident-map-config").textContent);
  const map = window.zhiliMap.create(node, config, {});
  const picker = window.zhiliMap.pointPicker(map, {
    radius: 8,
    onChange: function (latlng, text) {
      document.getElementById("point-text").firstChild.textContent = latlng ? text + " " : "未选择地点 ";
    },
  });
  // Opened from a case (转为指挥事件) or sent back with errors: the point it already has.
  if (picker.initial) {
    picker.set(picker.initial);
    map.setView(picker.initial, 15);
  }
})();
