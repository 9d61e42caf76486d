// The premises map: one dot per located premises, a circle per area; tiles are optional
// (the dots and circles are drawn without them, and the list beside the map says it all).
(function () {
  var element = document.getElementById("carte-locaux");
  var source = document.getElementById("carte-donnees");
  if (!element || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { preferCanvas: true });
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var bounds = [];
  data.areas.forEach(function (area) {
    L.circle([area.lat, area.lon], { radius: area.radius, color: "#000091", weight: 1, fillOpacity: 0.05 })
      .bindTooltip(document.createTextNode(area.name))  // text, never HTML
      .addTo(map);
  });
  data.premises.forEach(function (item) {
    var marker = L.circleMarker([item.lat, item.lon], {
      radius: 7,
      color: item.available ? "#18753c" : "#666666",
      fillOpacity: 0.8,
    });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.label;
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(item.detail));
    marker.bindPopup(popup).addTo(map);
    bounds.push([item.lat, item.lon]);
  });
  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
  else map.setView([46.6, 2.4], 5);
})();
