"""schema.org JSON-LD of a post: an `Offer` (what is offered) or a `Demand` (what is wanted),
built from what a visitor may read, whoever asks."""

from __future__ import annotations

from django_countries import countries

from members.linked_data import skill_term
from offers.models import Post
from patio.linked_data import Document, day, document, node, plain_text, reference


def post_document(post: Post) -> Document:
    seller = post.organisation or post.poster.organisation
    party = reference("Organization", seller.get_absolute_url(), seller.name)
    place = None
    if post.scope != Post.Scope.GLOBAL and post.country:
        place = node(
            "Place",
            name=post.city or countries.name(str(post.country)),
            address=node(
                "PostalAddress", addressLocality=post.city, addressCountry=str(post.country)
            ),
        )
    return document(
        "Offer" if post.exchange == Post.Exchange.OFFER else "Demand",
        post.get_absolute_url(),
        name=post.title,
        description=plain_text(post.description),
        category=str(post.get_kind_display()),
        keywords=[tag.name for tag in post.tags.all()],
        itemOffered=node("Service", name=post.title, serviceType=str(post.get_kind_display())),
        availabilityStarts=day(post.starts_on),
        validFrom=day(post.starts_on),
        availabilityEnds=day(post.ends_on),
        validThrough=day(post.ends_on),
        areaServed=place or "Worldwide",
        about=[skill_term(skill) for skill in post.skills.all()],
        # An offer names who offers it; a demand's seeker would be the reverse of `seeks`,
        # which a consumer reading properties of the node alone would not find.
        offeredBy=party if post.exchange == Post.Exchange.OFFER else None,
    )
