"""English nicknames and short forms -> the given names they stand for (Bob: Robert).

Source and licence: written by hand for this project from common English usage (no list was
copied), under the project's licence. It is deliberately small: the common short forms that
clerks write instead of the name on a document. A short form may stand for several names
(Chris: Christopher or Christine); all are kept as candidates, as in
:data:`~testimonio.linkage.names.NICKNAMES`.
"""

from __future__ import annotations

__all__ = ["ENGLISH_NICKNAMES"]

ENGLISH_NICKNAMES: dict[str, tuple[str, ...]] = {
    "abby": ("abigail",), "al": ("albert", "alan", "alfred"), "andy": ("andrew",),
    "drew": ("andrew",), "barb": ("barbara",), "becky": ("rebecca",), "ben": ("benjamin",),
    "benny": ("benjamin",), "beth": ("elizabeth",), "betty": ("elizabeth",),
    "bill": ("william",), "billy": ("william",), "bob": ("robert",), "bobby": ("robert",),
    "cathy": ("catherine", "katherine"), "charlie": ("charles",), "chuck": ("charles",),
    "chris": ("christopher", "christine", "christina"), "cindy": ("cynthia",),
    "dan": ("daniel",), "danny": ("daniel",), "dave": ("david",), "davy": ("david",),
    "deb": ("deborah",), "debbie": ("deborah",), "dick": ("richard",), "don": ("donald",),
    "ed": ("edward",), "eddie": ("edward",), "ted": ("edward", "theodore"),
    "eliza": ("elizabeth",), "liz": ("elizabeth",), "lizzie": ("elizabeth",),
    "libby": ("elizabeth",), "fred": ("frederick",), "frank": ("francis", "franklin"),
    "greg": ("gregory",), "hank": ("henry",), "harry": ("henry", "harold"), "jack": ("john",),
    "johnny": ("john",), "jim": ("james",), "jimmy": ("james",), "jamie": ("james",),
    "jeff": ("jeffrey",), "jen": ("jennifer",), "jenny": ("jennifer",), "jerry": ("gerald",),
    "joe": ("joseph",), "joey": ("joseph",), "josh": ("joshua",), "kate": ("katherine",),
    "katie": ("katherine",), "kathy": ("katherine",), "ken": ("kenneth",),
    "kenny": ("kenneth",), "larry": ("lawrence",), "maggie": ("margaret",),
    "meg": ("margaret",), "peggy": ("margaret",), "mandy": ("amanda",), "matt": ("matthew",),
    "mike": ("michael",), "mikey": ("michael",), "mick": ("michael",), "nate": ("nathan",),
    "nick": ("nicholas",), "pam": ("pamela",), "pat": ("patricia", "patrick"),
    "patty": ("patricia",), "pete": ("peter",), "rick": ("richard",),
    "ricky": ("richard",), "rich": ("richard",), "rob": ("robert",), "robbie": ("robert",),
    "ron": ("ronald",), "ronnie": ("ronald",), "sam": ("samuel", "samantha"),
    "sandy": ("sandra",), "steve": ("steven", "stephen"), "sue": ("susan",),
    "susie": ("susan",), "terry": ("terence", "teresa"), "tim": ("timothy",),
    "tom": ("thomas",), "tommy": ("thomas",), "tony": ("anthony",), "vicky": ("victoria",),
    "will": ("william",), "willy": ("william",), "zach": ("zachary",),
}  # fmt: skip
