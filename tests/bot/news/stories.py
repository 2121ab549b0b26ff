"""Three made-up local news stories, long enough to be articles, with distinct facts."""

from __future__ import annotations

BRIDGE = [
    "The Riverside city council approved the new Elm River bridge on Tuesday evening by a "
    "vote of seven to two, ending a debate that had divided the town for more than a decade.",
    "Construction is expected to begin next spring and to cost about 40 million euros, "
    "according to figures published by the mayor's office after the meeting.",
    "Opponents of the project argued that the money should have gone to the town's schools, "
    "and two councillors said they would ask for a referendum on the decision.",
]
BRIDGE_REVISED = [
    *BRIDGE[:2],
    "The two councillors who voted against the bridge withdrew their call for a referendum "
    "on Wednesday morning after meeting the mayor.",
]
LIBRARY = [
    "The central library of Riverside will reopen on the first of June after an eighteen-month "
    "renovation that added a children's wing and a rooftop reading garden.",
    "Head librarian Marta Okafor said the building would now stay open until nine o'clock on "
    "weekdays, two hours later than before the works began.",
    "The renovation was paid for by a regional heritage grant and by donations from more than "
    "three thousand residents, the library's board announced.",
]
MARATHON = [
    "Kenyan runner Daniel Mutua won the Riverside marathon on Sunday in two hours, eight "
    "minutes and fifteen seconds, a new course record by almost a minute.",
    "Some twelve thousand runners took part in the race, which followed the river from the "
    "old harbour to the cathedral square under unusually warm skies.",
    "Organisers said two runners were treated for heat exhaustion at the finish line and both "
    "were released from hospital later that afternoon.",
]
