/* Enhances the list of activities with a Leaflet map: buurt boundaries, and the activities as clustered markers
   whose popups link to the activity pages. The list on the page stays the accessible alternative. */
(function () {
  "use strict";
  var element = document.getElementById("activities-map");
  if (!element || !window.L || !L.markerClusterGroup) { return; }
  var map = L.map(element, { scrollWheelZoom: false });
  map.setView([52.09, 5.12], 12);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  function load(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }
  var boundaries = load(element.dataset.buurten).then(function (data) {
    var layer = L.geoJSON(data, {
      interactive: false,
      style: { color: "#00575c", weight: 1, fillColor: "#00575c", fillOpacity: 0.05 }
    }).addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
  });
  var markers = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  load(element.dataset.geojson).then(function (data) {
    L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, { title: feature.properties.title, alt: feature.properties.title });
      },
      onEachFeature: function (feature, marker) {
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = feature.properties.url;
        link.textContent = feature.properties.title;
        popup.appendChild(link);
        marker.bindPopup(popup);
      }
    }).eachLayer(function (layer) { markers.addLayer(layer); });
    map.addLayer(markers);
    return boundaries.then(function () {
      if (markers.getLayers().length && element.dataset.buurten.indexOf("wijk=") !== -1) {
        map.fitBounds(markers.getBounds(), { maxZoom: 16 });
      }
    });
  }).catch(function () { element.hidden = true; });
})();
