// Knapsack ballot: show the total of the chosen plans as the voter ticks them. The server checks it again.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot='knapsack']");
  var total = document.getElementById("ballot-total");
  if (!form || !total) { return; }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var euro = function (n) { return n.toLocaleString("nl-NL"); };
  function update() {
    var sum = 0;
    form.querySelectorAll("input[name='plan']:checked").forEach(function (box) {
      sum += parseInt(box.getAttribute("data-cost"), 10) || 0;
    });
    var over = sum > budget;
    var text = total.getAttribute(over ? "data-text-over" : "data-text-ok");
    total.textContent = text.replace("%(total)s", euro(sum)).replace("%(budget)s", euro(budget));
    total.classList.toggle("samen030-total--over", over);
    total.hidden = false;
  }
  form.addEventListener("change", update);
  update();
})();
