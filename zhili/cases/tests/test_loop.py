from zhili.cases.models import State
from zhili.cases.services import case_act


def test_full_loop(register, staff, rules):
    case = register()
    assert case.state == State.REGISTERED
    assert case.suggested_unit == staff.township.organization

    case = case_act(actor=staff.township, case=case, action="dispatch")
    case = case_act(actor=staff.township, case=case, action="acknowledge")
    case = case_act(actor=staff.township, case=case, action="start")
    case = case_act(actor=staff.township, case=case, action="reply", reply="已处理")
    case = case_act(actor=staff.township, case=case, action="close")
    case = case_act(actor=staff.township, case=case, action="rate", rating="satisfied")
    assert case.state == State.RATED
