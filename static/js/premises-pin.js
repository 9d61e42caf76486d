// Premises form: a click on the map fills the latitude and longitude fields (the fields
// stay usable by hand, and the page works without this script or without tiles).
(function () {
  var element = document.getElementById("carte-placement");
  if (!element || !window.L) return;
  var latInput = document.getElementById(element.dataset.latInput);
  var lonInput = document.getElementById(element.dataset.lonInput);
  var lat = parseFloat(element.dataset.lat.replace(",", "."));
  var lon = parseFloat(element.dataset.lon.replace(",", "."));
  var located = !isNaN(lat) && !isNaN(lon);
  var center = (element.dataset.center || "").split(",").map(parseFloat);
  var known = center.length === 2 && !isNaN(center[0]) && !isNaN(center[1]);
  var start = located ? [lat, lon] : known ? center : [46.6, 2.4];
  var map = L.map(element).setView(start, located ? 17 : known ? 15 : 5);
  // MAP_TILES_URL, or no tiles when it is empty (as the premises map does).
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var landmarks = document.getElementById("carte-reperes");
  if (landmarks) {
    JSON.parse(landmarks.textContent).forEach(function (item) {
      L.circleMarker([item[0], item[1]], { radius: 4, color: "#666666", weight: 1 })
        .bindTooltip(document.createTextNode(item[2]))  // text, never HTML
        .addTo(map);
    });
  }
  var marker = located ? L.marker([lat, lon]).addTo(map) : null;
  map.on("click", function (event) {
    var point = event.latlng;
    if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
    latInput.value = point.lat.toFixed(6);
    lonInput.value = point.lng.toFixed(6);
  });
})();
