"""The lab admin's Partners page (list, invite, accept, end) and the page a partner invitation opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.customers.access import lab_roles
from crownline.errors import DomainError, NotFound
from crownline.outsourcing import links
from crownline.outsourcing.forms import AcceptForm, PartnerInviteForm
from crownline.pages import SESSION_KEY, admin_page, lab_context, refusal_text, show_error
from crownline.roles import Role
from crownline.tenancy.models import Lab


@admin_page
def partner_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    form = PartnerInviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                links.invite_partner(request.user, lab.slug, email=form.cleaned_data["email"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("outsourcing:partners")
        status = 422
    _, found = links.links_of(request.user, lab.slug)
    rows = [{"link": link, "other": link.other(lab.pk), "sent": link.lab_id == lab.pk} for link in found]
    return render(
        request,
        "outsourcing/partners.html",
        {
            "nav": "lab",
            "tab": "partners",
            "form": form,
            "rows": rows,
            "addressed": [link for link in links.addressed_to(request.user) if link.lab_id != lab.pk],
        },
        status=status,
    )


@admin_page
@require_POST
def end_link(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = links.end(request.user, lab_context(request).lab.slug, link_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            "Invitation withdrawn."
            if link.partner_id is None
            else "Link ended. The orders already sent stay with the partner lab.",
        )
    return redirect("outsourcing:partners")


@admin_page
@require_POST
def accept_addressed(request: HttpRequest, link_id: int) -> HttpResponse:
    """Accepts, for the lab the admin works in now, an invitation sent to their e-mail address."""
    lab = lab_context(request).lab
    try:
        link = links.accept_addressed(request.user, link_id, lab.slug)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{lab.name} and {link.lab.name} are partner labs now.")
    return redirect("outsourcing:partners")


@login_required
def open_link(request: HttpRequest, link_token: str) -> HttpResponse:
    """What the e-mail's link opens: a signed-in admin chooses which of their labs accepts."""
    try:
        link = links.usable(link_token)
    except NotFound as exc:
        return render(request, "invitations/invalid.html", {"reason": exc.detail}, status=404)
    admin_of = [lab_id for lab_id, r in lab_roles(request.user).items() if r.role is Role.ADMIN]
    labs = list(Lab.objects.filter(pk__in=admin_of).exclude(pk=link.lab_id).order_by("name", "pk"))
    form = AcceptForm(request.POST or None, labs=labs)
    status = 200 if labs else 403
    if request.method == "POST" and labs:
        if form.is_valid():
            try:
                accepted = links.accept(request.user, link_token, form.cleaned_data["lab"])
            except NotFound as exc:
                return render(request, "invitations/invalid.html", {"reason": exc.detail}, status=404)
            except DomainError as exc:
                show_error(request, exc, form)
                status = exc.status_code
            else:
                request.session[SESSION_KEY] = accepted.partner_id
                messages.success(request, f"{accepted.partner.name} and {link.lab.name} are partner labs now.")
                return redirect("outsourcing:partners")
        else:
            status = 422
    return render(request, "outsourcing/open.html", {"link": link, "form": form, "labs": labs}, status=status)
