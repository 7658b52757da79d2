/* Enhances a list of buurten with a Leaflet map; the list on the page stays the accessible alternative. */
(function () {
  "use strict";
  var element = document.getElementById("buurten-map");
  if (!element || !window.L) { return; }
  var map = L.map(element, { scrollWheelZoom: false });
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: "#00575c", weight: 2, fillColor: "#00575c", fillOpacity: 0.12 },
        onEachFeature: function (feature, polygon) {
          var link = document.createElement("a");
          link.href = feature.properties.url;
          link.textContent = feature.properties.name;
          polygon.bindPopup(link);
          polygon.bindTooltip(feature.properties.name);
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
    })
    .catch(function () { element.hidden = true; });
})();
