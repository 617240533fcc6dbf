// Directory search: ticking a filter or choosing a sort order applies it at once.
// Without JavaScript the "Apply filters" and "Sort" buttons do the same.
(function () {
  "use strict";
  var form = document.getElementById("directory-search");
  if (!form) {
    return;
  }
  document.documentElement.classList.add("js");
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches('.facets input[type="checkbox"], select[name="sort"]')) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  // An empty search box adds nothing to the address.
  form.addEventListener("submit", function () {
    var box = form.querySelector('input[name="q"]');
    if (box && !box.value.trim()) {
      box.disabled = true;
    }
  });
})();
