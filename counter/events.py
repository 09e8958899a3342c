"""The life events a counter serves, with their Japanese names."""

EVENTS = {
    "birth": "出生",
    "move_in": "転入",
    "move_out": "転出",
    "move_within": "転居",
    "death": "死亡",
    "marriage": "婚姻",
    "divorce": "離婚",
    "household_change": "世帯変更",
    "move_abroad": "国外転出",
    "move_in_from_abroad": "国外からの転入",
    "employee_insurance_gain": "社会保険の加入",
    "employee_insurance_loss": "社会保険の喪失",
}


def event_label(event: str) -> str:
    return EVENTS.get(event, event)
