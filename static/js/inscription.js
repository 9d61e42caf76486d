// Live results for /inscription/: the search form keeps working without JavaScript; with
// it, the list of communes and EPCI updates as one types, and the count is announced.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("resultats");
  var announce = document.getElementById("annonce-resultats");
  var csrf = document.getElementById("jeton-csrf");
  if (!input || !results || !window.fetch) { return; }
  var timer = null;

  function render(query, items) {
    results.textContent = "";
    if (!items.length) {
      var none = document.createElement("p");
      none.textContent = "Aucune commune ni intercommunalité ne correspond à « " + query + " ».";
      results.appendChild(none);
      announce.textContent = "Aucun résultat";
      return;
    }
    var form = document.createElement("form");
    form.method = "post";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrf ? csrf.value : "";
    form.appendChild(token);
    var fieldset = document.createElement("fieldset");
    fieldset.className = "fr-fieldset";
    var legend = document.createElement("legend");
    legend.className = "fr-fieldset__legend";
    legend.textContent = items.length + " résultat" + (items.length > 1 ? "s" : "") + " pour « " + query + " »";
    fieldset.appendChild(legend);
    items.forEach(function (item, index) {
      var element = document.createElement("div");
      element.className = "fr-fieldset__element";
      var group = document.createElement("div");
      group.className = "fr-radio-group";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "territoire";
      radio.value = item.value;
      radio.id = "live-" + index;
      radio.disabled = item.taken;
      var label = document.createElement("label");
      label.className = "fr-label";
      label.htmlFor = radio.id;
      label.textContent = item.label + (item.taken ? " (déjà sur BoursOloco)" : "");
      group.appendChild(radio);
      group.appendChild(label);
      element.appendChild(group);
      fieldset.appendChild(element);
    });
    form.appendChild(fieldset);
    var button = document.createElement("button");
    button.className = "fr-btn";
    button.type = "submit";
    button.textContent = "Continuer";
    form.appendChild(button);
    results.appendChild(form);
    announce.textContent = legend.textContent;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) { return; }
    timer = setTimeout(function () {
      fetch("suggestions/?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { render(query, data.results); })
        .catch(function () { /* the search button still works */ });
    }, 250);
  });
}());
