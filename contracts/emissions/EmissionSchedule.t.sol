// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, gas-small-strings, gas-struct-packing, func-name-mixedcase
pragma solidity ^0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {EmissionSchedule} from "./EmissionSchedule.sol";
import {IEmissionSchedule} from "./interfaces/IEmissionSchedule.sol";
import {FluxTest, Vm} from "../test/utils/FluxTest.sol";

/**
 * @title Shared deployment of EmissionSchedule behind an ERC-1967 (UUPS) proxy
 * @notice Chains, times and the two curves the tests use, and one-line governance helpers that act
 *         as the Timelock.
 */
abstract contract EmissionScheduleFixture is FluxTest {
    /// @dev The Timelock of the chain: owner of the schedule.
    address internal constant TIMELOCK = address(0x7100);
    address internal constant STRANGER = address(0xBAD);

    uint256 internal constant CONFLUX = 1030;
    uint256 internal constant BSC = 56;
    uint256 internal constant HECO = 128;
    uint256 internal constant AVAX = 43_114;

    uint256 internal constant DAY = 1 days;
    uint64 internal constant START = 1_700_000_000;
    uint256 internal constant WEIGHT_TOTAL = 4_200_000;
    uint256 internal constant SCALE = 2 * DAY * DAY * WEIGHT_TOTAL;

    uint128 internal constant FLAT_RATE = 20_000e18;
    /// @dev The original Flux curve: 22,627 FLUX a day at launch, falling 16 a day.
    uint128 internal constant FLUX_RATE = 22_627e18;
    uint128 internal constant FLUX_DECLINE = 16e18;
    /// @dev 22,627 / 16 days = 1414.1875 days = 122,185,800 s: the curve's exact zero.
    uint256 internal constant FLUX_ZERO_AT = 122_185_800;
    /// @dev 22,627^2 / 32 FLUX: everything the curve ever emits.
    uint256 internal constant FLUX_TOTAL = 15_999_410_281_250_000_000_000_000;

    EmissionSchedule internal implementation;

    /// @dev A fresh implementation and a proxy initialized with the Timelock as owner.
    function deploy(uint64 start, uint128 rate, uint128 decline, uint256[] memory chainIds)
        internal
        returns (EmissionSchedule)
    {
        implementation = new EmissionSchedule();
        return EmissionSchedule(address(new ERC1967Proxy(address(implementation), initData(start, rate, decline, chainIds))));
    }

    function initData(uint64 start, uint128 rate, uint128 decline, uint256[] memory chainIds)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeCall(EmissionSchedule.initialize, (TIMELOCK, start, rate, decline, chainIds));
    }

    function ids(uint256 a) internal pure returns (uint256[] memory r) {
        r = new uint256[](1);
        r[0] = a;
    }

    function ids(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function ids(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory r) {
        r = new uint256[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    function ids(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory r) {
        r = new uint256[](4);
        (r[0], r[1], r[2], r[3]) = (a, b, c, d);
    }

    /// @dev Chain ids first, first + 1, … (n of them).
    function range(uint256 first, uint256 n) internal pure returns (uint256[] memory r) {
        r = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) r[i] = first + i;
    }

    function setRate(EmissionSchedule s, uint128 rate, uint128 decline) internal {
        vm.prank(TIMELOCK);
        s.setEmissionRate(rate, decline);
    }

    function setBps(EmissionSchedule s, uint256[] memory chainIds, uint256[] memory bps) internal {
        vm.prank(TIMELOCK);
        s.setChainWeightsBps(chainIds, bps);
    }

    function setEqual(EmissionSchedule s, uint256[] memory chainIds) internal {
        vm.prank(TIMELOCK);
        s.setEqualChainWeights(chainIds);
    }

    function addBonus(EmissionSchedule s, uint256 chainId, uint128 amount, uint64 start, uint64 duration) internal {
        vm.prank(TIMELOCK);
        s.addLaunchBonus(chainId, amount, start, duration);
    }

    function badParameter(bytes32 param) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IEmissionSchedule.ScheduleBadParameter.selector, param);
    }

    /**
     * @dev A schedule that exercises every kind of change: a change before the start (reusing
     *      segment 0), the Flux decline, bps weights, a decline that reaches zero at a non-integer
     *      point, two changes in one second, a fourth chain and two bonuses. With `weighted` false
     *      the same line goes to CONFLUX alone with every bonus: the protocol's total.
     *      Leaves the clock at START + 200 days.
     */
    function buildSchedule(bool weighted) internal returns (EmissionSchedule s) {
        vm.warp(START - 10 days);
        s = deploy(START, FLAT_RATE, 0, weighted ? ids(CONFLUX, BSC, HECO) : ids(CONFLUX));
        vm.warp(START - 5 days);
        setRate(s, FLUX_RATE, FLUX_DECLINE);
        addBonus(s, weighted ? BSC : CONFLUX, 1_000_000e18, START, 14 days);
        vm.warp(START + 10 days);
        if (weighted) setBps(s, ids(CONFLUX, BSC, HECO), ids(5_000, 3_000, 2_000));
        vm.warp(START + 100 days);
        setRate(s, 30_000e18 + 7, 600e18 + 3); // reaches zero a little before 50 days
        vm.warp(START + 200 days);
        setRate(s, FLAT_RATE, 0);
        if (weighted) setEqual(s, ids(CONFLUX, BSC, HECO, AVAX)); // same second: same segment
        addBonus(s, weighted ? AVAX : CONFLUX, 333_333e18 + 1, START + 210 days, 7 days + 5);
    }

    /// @dev The chains of `buildSchedule(true)` plus one that never had anything.
    function allChains() internal pure returns (uint256[] memory) {
        uint256[] memory r = new uint256[](5);
        (r[0], r[1], r[2], r[3], r[4]) = (CONFLUX, BSC, HECO, AVAX, 999);
        return r;
    }
}

/**
 * @title EmissionSchedule unit and fuzz tests
 * @notice Storage, exact amounts of the flat and declining curves and of bonuses, access control,
 *         every revert, segment reuse, never retroactive, monotonic, never above the protocol total.
 */
contract EmissionScheduleTest is EmissionScheduleFixture {
    /// @dev The literal STORAGE_SLOT in EmissionSchedule.sol (private there, so repeated here).
    bytes32 internal constant STORAGE_SLOT_LITERAL = 0x99e9c4f6f2be1efa3cef797d7a74683e2edffa4539a36d8e0b41bf8cf8b03b00;

    EmissionSchedule internal schedule;

    /// @notice 20,000 FLUX a day from START, three chains sharing equally; the clock at START.
    function setUp() public {
        vm.label(TIMELOCK, "timelock");
        vm.warp(START);
        schedule = deploy(START, FLAT_RATE, 0, ids(CONFLUX, BSC, HECO));
    }

    // ------------------------------------------------------------------ storage and constants

    /// @notice The ERC-7201 slot matches its formula, and the schedule's arrays really live there.
    function test_storage_slotIsErc7201AndHoldsSegments() public {
        bytes32 computed =
            keccak256(abi.encode(uint256(keccak256("flux.storage.EmissionSchedule")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(computed, STORAGE_SLOT_LITERAL, "STORAGE_SLOT literal");
        // ScheduleStorage: segments (length at the base slot), then chainIds.
        assertEq(uint256(vm.load(address(schedule), computed)), 1, "segments.length at the ERC-7201 slot");
        assertEq(uint256(vm.load(address(schedule), bytes32(uint256(computed) + 1))), 3, "chainIds.length next");
        vm.warp(START + 1 days);
        setRate(schedule, 1e18, 0);
        assertEq(uint256(vm.load(address(schedule), computed)), 2, "a new segment is pushed there");
        assertEq(vm.load(address(implementation), computed), bytes32(0), "implementation storage untouched");
    }

    /// @notice The published denominators.
    function test_constants_values() public view {
        assertEq(schedule.WEIGHT_TOTAL(), 10_000 * 420, "WEIGHT_TOTAL = bps x lcm(1..7)");
        assertEq(schedule.SCALE(), SCALE, "SCALE = 2 DAY^2 WEIGHT_TOTAL");
        for (uint256 n = 1; n <= 7; ++n) assertEq(WEIGHT_TOTAL % n, 0, "1..7 equal shares are exact");
    }

    // ------------------------------------------------------------------ the flat rate

    /// @notice 20,000 a day, three equal chains: each has exactly 20,000e18 x N / 3 (floored) after N days.
    function test_cumulativeEmission_flatRateThreeEqualChains() public view {
        uint256[8] memory days_ = [uint256(0), 1, 2, 3, 7, 30, 365, 3650];
        for (uint256 i = 0; i < days_.length; ++i) {
            uint256 n = days_[i];
            uint256 expected = uint256(FLAT_RATE) * n / 3;
            assertEq(schedule.cumulativeEmission(CONFLUX, START + n * DAY), expected, "CONFLUX after N days");
            assertEq(schedule.cumulativeEmission(BSC, START + n * DAY), expected, "BSC after N days");
            assertEq(schedule.cumulativeEmission(HECO, START + n * DAY), expected, "HECO after N days");
        }
        assertEq(schedule.cumulativeEmission(CONFLUX, START - 1), 0, "nothing before the start");
        assertEq(schedule.cumulativeEmission(CONFLUX, 0), 0, "nothing at time 0");
        assertEq(schedule.cumulativeEmission(AVAX, START + 100 days), 0, "nothing for a chain without weight");
    }

    /// @notice The same for any number of days.
    /// @param n Days since the start.
    function testFuzz_cumulativeEmission_flatRateExactAfterNDays(uint256 n) public view {
        n = bound(n, 0, 100 * 365);
        assertEq(schedule.cumulativeEmission(BSC, START + n * DAY), uint256(FLAT_RATE) * n / 3, "20,000e18 x N / 3");
    }

    /// @notice At any second the chains together never exceed the protocol's total, and lose under a wei each.
    /// @param t The time.
    function testFuzz_cumulativeEmission_chainsNeverSumAboveProtocolTotal(uint256 t) public view {
        t = bound(t, 0, START + 100 * 365 days);
        uint256 total = t > START ? uint256(FLAT_RATE) * (t - START) / DAY : 0;
        uint256 sum = schedule.cumulativeEmission(CONFLUX, t) + schedule.cumulativeEmission(BSC, t)
            + schedule.cumulativeEmission(HECO, t);
        assertLe(sum, total, "sum over chains <= protocol total");
        assertLe(total - sum, 2, "three floors lose at most 2 wei together");
    }

    // ------------------------------------------------------------------ launch bonus

    /// @notice 1,000,000 over 14 days on BSC: ~78,095.24 a day in the window, exactly the amount after.
    function test_addLaunchBonus_paysLinearly() public {
        uint64 bonusStart = START + 10 days;
        addBonus(schedule, BSC, 1_000_000e18, bonusStart, 14 days);
        // 20,000/3 + 1,000,000/14 = 78,095.238095… FLUX a day; two floors move a daily difference by < 2 wei.
        uint256 perDay = uint256(FLAT_RATE) / 3 + uint256(1_000_000e18) / 14; // 78,095.238095238095238094e18
        for (uint256 d = 0; d < 14; ++d) {
            uint256 t = bonusStart + d * DAY;
            uint256 daily = schedule.cumulativeEmission(BSC, t + DAY) - schedule.cumulativeEmission(BSC, t);
            assertLe(perDay - 1, daily, "daily >= 78,095.238095238095238093");
            assertLe(daily, perDay + 2, "daily <= 78,095.238095238095238096");
        }
        uint256[5] memory gaps = [uint256(0), 7 days, 14 days, 14 days + 1, 1_000 days];
        uint256[5] memory paid = [uint256(0), 500_000e18, 1_000_000e18, 1_000_000e18, 1_000_000e18];
        for (uint256 i = 0; i < gaps.length; ++i) {
            uint256 t = bonusStart + gaps[i];
            // BSC and CONFLUX have the same base share, so the difference is the bonus alone.
            assertEq(
                schedule.cumulativeEmission(BSC, t) - schedule.cumulativeEmission(CONFLUX, t), paid[i], "bonus paid by t"
            );
        }
        assertEq(schedule.cumulativeEmission(BSC, bonusStart - 1), schedule.cumulativeEmission(CONFLUX, bonusStart - 1), "none before");
        IEmissionSchedule.Bonus[] memory list = schedule.bonusesOf(BSC);
        assertEq(list.length, 1, "one bonus");
        assertEq(list[0].amount, 1_000_000e18, "amount");
        assertEq(list[0].start, bonusStart, "start");
        assertEq(list[0].duration, 14 days, "duration");
    }

    /// @notice A bonus pays floor(amount x elapsed / duration): never more than its share, exactly its amount at the end.
    /// @param amount The bonus.
    /// @param duration Its duration.
    /// @param elapsed Time since its start.
    function testFuzz_addLaunchBonus_isLinearAndFloored(uint128 amount, uint64 duration, uint256 elapsed) public {
        amount = uint128(bound(amount, 1, 100_000_000e18));
        duration = uint64(bound(duration, 1 hours, 365 days));
        elapsed = bound(elapsed, 0, uint256(duration) * 2);
        addBonus(schedule, AVAX, amount, START, duration); // AVAX has no base share
        uint256 expected = elapsed >= duration ? amount : uint256(amount) * elapsed / duration;
        assertEq(schedule.cumulativeEmission(AVAX, START + elapsed), expected, "floor(amount x elapsed / duration)");
    }

    // ------------------------------------------------------------------ the Flux curve

    /// @notice 22,627 a day falling 16 a day: after N whole days, exactly 22,627 N - 8 N^2 FLUX.
    function test_cumulativeEmission_fluxCurveIntegrates() public {
        EmissionSchedule s = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        uint256[7] memory days_ = [uint256(0), 1, 2, 10, 100, 1000, 1414];
        for (uint256 i = 0; i < days_.length; ++i) {
            uint256 n = days_[i];
            assertEq(s.cumulativeEmission(CONFLUX, START + n * DAY), uint256(FLUX_RATE) * n - 8e18 * n * n, "R N - D N^2 / 2");
        }
        // first day: 22,627 - 8; the thousandth: 22,627 - 16 x 999 - 8
        assertEq(s.cumulativeEmission(CONFLUX, START + DAY), 22_619e18, "first day");
        assertEq(
            s.cumulativeEmission(CONFLUX, START + 1000 * DAY) - s.cumulativeEmission(CONFLUX, START + 999 * DAY),
            22_627e18 - 16e18 * 999 - 8e18,
            "day 1000"
        );
    }

    /// @notice At any second before the zero: floor((2 R DAY x - D x^2) / (2 DAY^2)), x seconds after the start.
    /// @param x Seconds since the start.
    function testFuzz_cumulativeEmission_fluxCurveAtAnySecond(uint256 x) public {
        EmissionSchedule s = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        x = bound(x, 0, FLUX_ZERO_AT);
        uint256 expected = (2 * uint256(FLUX_RATE) * DAY * x - uint256(FLUX_DECLINE) * x * x) / (2 * DAY * DAY);
        assertEq(s.cumulativeEmission(CONFLUX, START + x), expected, "integral of the line");
    }

    /// @notice When the rate runs out, the total stays at R^2 / 2D = 15,999,410.28125 FLUX forever.
    /// @param after_ Seconds past the zero.
    function testFuzz_cumulativeEmission_fluxCurveClampsAtZero(uint256 after_) public {
        EmissionSchedule s = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        after_ = bound(after_, 0, 1_000 * 365 days);
        assertEq(s.cumulativeEmission(CONFLUX, START + FLUX_ZERO_AT), FLUX_TOTAL, "total at the zero");
        assertEq(s.cumulativeEmission(CONFLUX, START + FLUX_ZERO_AT + after_), FLUX_TOTAL, "total after the zero");
        assertGt(
            s.cumulativeEmission(CONFLUX, START + FLUX_ZERO_AT),
            s.cumulativeEmission(CONFLUX, START + FLUX_ZERO_AT - 1 days),
            "still emitting in the last day"
        );
        // a weight change long after the zero starts a segment that emits nothing
        vm.warp(START + FLUX_ZERO_AT + 10 days);
        setEqual(s, ids(CONFLUX, BSC));
        assertEq(
            s.cumulativeEmission(CONFLUX, START + FLUX_ZERO_AT + 20 days) + s.cumulativeEmission(BSC, START + FLUX_ZERO_AT + 20 days),
            FLUX_TOTAL,
            "nothing more after a later weight change"
        );
    }

    /// @notice Weight-only changes mid-decline do not bend the line: the chains' numerators add up to
    ///         the single-chain line exactly, and their amounts to it within one wei per chain, below.
    /// @param t The time.
    function testFuzz_setChainWeightsBps_doNotBendDecline(uint256 t) public {
        vm.warp(START);
        EmissionSchedule line = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        EmissionSchedule split = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        vm.warp(START + 300 days + 17);
        setBps(split, ids(CONFLUX, BSC), ids(6_000, 4_000));
        vm.warp(START + 700 days);
        setEqual(split, ids(CONFLUX, BSC, HECO));
        vm.warp(START + 1_000 days + 3);
        setBps(split, ids(BSC, HECO), ids(2_500, 7_500));
        vm.warp(START + 1_500 days); // after the zero
        setBps(split, ids(CONFLUX, HECO), ids(1, 9_999));
        assertEq(split.segmentCount(), 5, "four weight changes, four segments");

        t = bound(t, 0, START + 2_000 days);
        uint256 numerators =
            split.baseNumerator(CONFLUX, t) + split.baseNumerator(BSC, t) + split.baseNumerator(HECO, t);
        assertEq(numerators, line.baseNumerator(CONFLUX, t), "chains' numerators == the line's");
        uint256 amounts = split.cumulativeEmission(CONFLUX, t) + split.cumulativeEmission(BSC, t)
            + split.cumulativeEmission(HECO, t);
        uint256 whole = line.cumulativeEmission(CONFLUX, t);
        assertLe(amounts, whole, "chains' amounts <= the line's");
        assertLe(whole - amounts, 2, "three floors lose at most 2 wei");
        if (t >= START + FLUX_ZERO_AT) assertEq(whole, FLUX_TOTAL, "the line still reaches R^2 / 2D");
    }

    /// @notice The same at fixed points: at, just before and just after each change.
    function test_setChainWeightsBps_midDeclineAtChangePoints() public {
        vm.warp(START);
        EmissionSchedule line = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        EmissionSchedule split = deploy(START, FLUX_RATE, FLUX_DECLINE, ids(CONFLUX));
        uint256 change = START + 500 days;
        vm.warp(change);
        setBps(split, ids(CONFLUX, BSC), ids(7_000, 3_000));
        for (uint256 t = change - 2; t <= change + 2; ++t) {
            assertEq(
                split.baseNumerator(CONFLUX, t) + split.baseNumerator(BSC, t), line.baseNumerator(CONFLUX, t), "numerators"
            );
        }
        IEmissionSchedule.Segment memory seg = split.segmentAt(1);
        assertEq(seg.start, change, "segment starts at the change");
        assertEq(seg.origin, START, "weight change keeps the line's origin");
        assertEq(seg.ratePerDay, FLUX_RATE, "and its rate");
        assertEq(seg.declinePerDay, FLUX_DECLINE, "and its decline");
        assertEq(split.weightAt(1, CONFLUX), 7_000 * 420, "weights in WEIGHT_TOTAL units");
        assertEq(split.weightAt(0, BSC), 0, "BSC had nothing before");
    }

    /// @notice The total of the buildSchedule() chains never exceeds the single-chain schedule with every bonus.
    /// @param t The time.
    function testFuzz_cumulativeEmission_complexScheduleNeverAboveProtocolTotal(uint256 t) public {
        EmissionSchedule weighted = buildSchedule(true);
        EmissionSchedule whole = buildSchedule(false);
        t = bound(t, 0, START + 3_000 days);
        uint256[] memory chains = allChains();
        uint256 numerators;
        uint256 amounts;
        for (uint256 i = 0; i < chains.length; ++i) {
            numerators += weighted.baseNumerator(chains[i], t);
            amounts += weighted.cumulativeEmission(chains[i], t);
        }
        assertEq(numerators, whole.baseNumerator(CONFLUX, t), "base numerators add up exactly");
        uint256 total = whole.cumulativeEmission(CONFLUX, t);
        assertLe(amounts, total, "chains <= protocol total");
        assertLe(total - amounts, 3, "one floor per chain with weight lost at most");
    }

    // ------------------------------------------------------------------ segments

    /// @notice Before the start every change reuses segment 0 and takes effect from the start;
    ///         two changes in the same second share one segment; a change at the start reuses segment 0.
    function test_setEmissionRate_segmentReuse() public {
        vm.warp(START - 10 days);
        EmissionSchedule s = deploy(START, FLAT_RATE, 0, ids(CONFLUX));
        vm.warp(START - 3 days);
        setRate(s, 10_000e18, 0);
        setEqual(s, ids(BSC, HECO));
        assertEq(s.segmentCount(), 1, "changes before the start reuse segment 0");
        IEmissionSchedule.Segment memory seg = s.segmentAt(0);
        assertEq(seg.start, START, "segment 0 still starts at START");
        assertEq(seg.origin, START, "its line starts at START");
        assertEq(seg.ratePerDay, 10_000e18, "new rate");
        assertEq(s.cumulativeEmission(BSC, START + 1 days), 5_000e18, "new rate and weights from the start");
        assertEq(s.cumulativeEmission(CONFLUX, START + 1 days), 0, "CONFLUX dropped before the start");

        vm.warp(START);
        setRate(s, 12_000e18, 0);
        assertEq(s.segmentCount(), 1, "a change at the start second reuses segment 0");

        vm.warp(START + 5 days);
        setRate(s, 24_000e18, 0);
        setBps(s, ids(BSC, HECO), ids(2_500, 7_500));
        addBonus(s, HECO, 1e18, START + 5 days, 1 hours);
        assertEq(s.segmentCount(), 2, "two changes in one second: one segment");
        assertEq(s.cumulativeEmission(HECO, START + 5 days), 30_000e18, "nothing changed at the change second");
        assertEq(
            s.cumulativeEmission(HECO, START + 6 days), 30_000e18 + 18_000e18 + 1e18, "both changes apply after it"
        );
    }

    /// @notice bonusChains() lists every chain given a bonus, weighted or not, once, in the order
    ///         of its first bonus; the list is bounded like chains().
    function test_bonusChains_listsEveryBonusChain() public {
        uint256 unweighted = 4242;
        addBonus(schedule, unweighted, 1e18, START, 1 hours);
        addBonus(schedule, HECO, 1e18, START, 1 hours);
        addBonus(schedule, unweighted, 2e18, START + 1 days, 1 hours);
        uint256[] memory listed = schedule.bonusChains();
        assertEq(listed.length, 2, "each chain once");
        assertEq(listed[0], unweighted, "first bonus first");
        assertEq(listed[1], HECO, "then HECO");
        for (uint256 c = 1; c <= schedule.MAX_CHAINS() - 2; ++c) addBonus(schedule, 100_000 + c, 1e18, START, 1 hours);
        assertEq(schedule.bonusChains().length, schedule.MAX_CHAINS(), "full");
        vm.expectRevert(badParameter("bonusChainCount"));
        vm.prank(TIMELOCK);
        schedule.addLaunchBonus(999_999, 1e18, START, 1 hours);
        // a listed chain may still get more bonuses
        addBonus(schedule, HECO, 1e18, START, 1 hours);
    }

    /// @notice Governance changes announce themselves.
    function test_events_emitted() public {
        vm.warp(START + 1 days);
        // a new rate starts a segment, announced once, with its new line
        vm.recordLogs();
        vm.expectEmit();
        emit IEmissionSchedule.SegmentStarted(1, START + 1 days, START + 1 days, 5e18, 1e18);
        setRate(schedule, 5e18, 1e18);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 announced;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(schedule) && logs[i].topics[0] == IEmissionSchedule.SegmentStarted.selector) ++announced;
        }
        assertEq(announced, 1, "one SegmentStarted per new segment");
        // a weight change starts a segment announced with the line it copies
        vm.warp(START + 2 days);
        uint256[] memory ids = new uint256[](1);
        ids[0] = HECO;
        vm.expectEmit();
        emit IEmissionSchedule.SegmentStarted(2, START + 2 days, START + 1 days, 5e18, 1e18);
        vm.prank(TIMELOCK);
        schedule.setEqualChainWeights(ids);
        vm.expectEmit();
        emit IEmissionSchedule.LaunchBonusAdded(HECO, 0, 7e18, START + 2 days, 1 hours);
        addBonus(schedule, HECO, 7e18, START + 2 days, 1 hours);
    }

    // ------------------------------------------------------------------ access control

    /// @notice Every setter is the Timelock's alone.
    /// @param caller Anyone else.
    function testFuzz_governance_onlyTimelock(address caller) public {
        vm.assume(caller != TIMELOCK && caller != address(vm));
        bytes memory denied = abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, caller);
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.setEmissionRate(1e18, 0);
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.setChainWeightsBps(ids(CONFLUX), ids(10_000));
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.setEqualChainWeights(ids(CONFLUX));
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.addLaunchBonus(CONFLUX, 1e18, START + 1 days, 1 days);
        address[] memory markets = new address[](1);
        uint16[] memory supplyBps = new uint16[](1);
        uint16[] memory borrowBps = new uint16[](1);
        (markets[0], supplyBps[0], borrowBps[0]) = (address(0x111), 5_000, 5_000);
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.setMarketWeights(markets, supplyBps, borrowBps);
        address newImplementation = address(new EmissionSchedule());
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.upgradeToAndCall(newImplementation, "");
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.transferOwnership(caller);
        vm.expectRevert(denied);
        vm.prank(caller);
        schedule.renounceOwnership();
        assertEq(schedule.owner(), TIMELOCK, "owner unchanged");
        assertEq(schedule.segmentCount(), 1, "nothing changed");
    }

    /// @notice Neither the proxy nor the implementation can be initialized again.
    function test_initialize_cannotReinitialize() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        schedule.initialize(STRANGER, START, FLAT_RATE, 0, ids(CONFLUX));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(STRANGER, START, FLAT_RATE, 0, ids(CONFLUX));
    }

    // ------------------------------------------------------------------ reverts

    /// @notice Bps weights must pair up, be non-zero and sum to 10,000; chains non-zero and distinct.
    function test_setChainWeightsBps_revertsOnBadBps() public {
        bytes4 badWeights = IEmissionSchedule.ScheduleBadWeights.selector;
        uint256[] memory empty = new uint256[](0);
        vm.expectRevert(badWeights);
        setBps(schedule, ids(CONFLUX, BSC), ids(5_000, 4_999)); // sums to 9,999
        vm.expectRevert(badWeights);
        setBps(schedule, ids(CONFLUX, BSC), ids(5_000, 5_001)); // 10,001
        vm.expectRevert(badWeights);
        setBps(schedule, ids(CONFLUX, BSC), ids(10_000)); // lengths differ
        vm.expectRevert(badWeights);
        setBps(schedule, empty, empty);
        vm.expectRevert(badWeights);
        setBps(schedule, ids(CONFLUX, BSC), ids(10_000, 0)); // a listed chain with nothing
        vm.expectRevert(badParameter("chainId"));
        setBps(schedule, ids(CONFLUX, CONFLUX), ids(5_000, 5_000)); // duplicate
        vm.expectRevert(badParameter("chainId"));
        setBps(schedule, ids(0, CONFLUX), ids(5_000, 5_000)); // zero chain
        // accepted edge: one chain with everything
        setBps(schedule, ids(HECO), ids(10_000));
        assertEq(schedule.weightAt(0, HECO), WEIGHT_TOTAL, "HECO has it all");
        assertEq(schedule.weightAt(0, CONFLUX), 0, "others nothing");
    }

    /// @notice Equal shares need a count that divides WEIGHT_TOTAL (1..8, 10, 12, 14, 15, 16), distinct non-zero chains.
    function test_setEqualChainWeights_revertsWhenSharesDoNotDivide() public {
        uint256[6] memory refused = [uint256(0), 9, 11, 13, 17, 20];
        for (uint256 i = 0; i < refused.length; ++i) {
            vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
            setEqual(schedule, range(1, refused[i]));
        }
        vm.expectRevert(badParameter("chainId"));
        setEqual(schedule, ids(CONFLUX, BSC, CONFLUX));
        vm.expectRevert(badParameter("chainId"));
        setEqual(schedule, ids(CONFLUX, 0));
        uint256[13] memory accepted = [uint256(1), 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15, 16];
        for (uint256 i = 0; i < accepted.length; ++i) {
            EmissionSchedule s = deploy(START, FLAT_RATE, 0, range(1, accepted[i]));
            assertEq(s.weightAt(0, 1), WEIGHT_TOTAL / accepted[i], "equal share");
        }
    }

    /// @notice initialize validates exactly like the setters.
    function test_initialize_revertsOnBadArguments() public {
        implementation = new EmissionSchedule();
        address impl = address(implementation);
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        new ERC1967Proxy(impl, initData(START, FLAT_RATE, 0, range(1, 9)));
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        new ERC1967Proxy(impl, initData(START, FLAT_RATE, 0, new uint256[](0)));
        vm.expectRevert(badParameter("chainId"));
        new ERC1967Proxy(impl, initData(START, FLAT_RATE, 0, ids(BSC, BSC)));
        vm.expectRevert(badParameter("ratePerDay"));
        new ERC1967Proxy(impl, initData(START, 10_000_000e18 + 1, 0, ids(BSC)));
        vm.expectRevert(badParameter("declinePerDay"));
        new ERC1967Proxy(impl, initData(START, 100, 101, ids(BSC)));
    }

    /// @notice The daily rate is at most 10,000,000 FLUX and the decline at most the rate.
    function test_setEmissionRate_revertsOutOfBounds() public {
        vm.expectRevert(badParameter("ratePerDay"));
        setRate(schedule, 10_000_000e18 + 1, 0);
        vm.expectRevert(badParameter("declinePerDay"));
        setRate(schedule, 1_000e18, 1_000e18 + 1);
        vm.expectRevert(badParameter("declinePerDay"));
        setRate(schedule, 0, 1);
        setRate(schedule, 10_000_000e18, 10_000_000e18); // edges accepted: zero within a day
        assertEq(schedule.cumulativeEmission(CONFLUX, START + 1 days), uint256(10_000_000e18) / 6, "a one-day triangle: R / 2 / 3");
        assertEq(schedule.cumulativeEmission(CONFLUX, START + 100 days), uint256(10_000_000e18) / 6, "then nothing");
        setRate(schedule, 0, 0);
        assertEq(schedule.cumulativeEmission(CONFLUX, START + 100 days), 0, "a zero rate emits nothing");
    }

    /// @notice Bonuses: never in the past, amount in (0, 100M], duration in [1 h, 365 d], a real chain, 8 per chain.
    function test_addLaunchBonus_revertsOutOfBounds() public {
        vm.warp(START + 10 days);
        uint64 nowTime = START + 10 days;
        vm.expectRevert(abi.encodeWithSelector(IEmissionSchedule.ScheduleRetroactive.selector, nowTime - 1, nowTime));
        addBonus(schedule, BSC, 1e18, nowTime - 1, 1 days);
        vm.expectRevert(badParameter("bonusAmount"));
        addBonus(schedule, BSC, 0, nowTime, 1 days);
        vm.expectRevert(badParameter("bonusAmount"));
        addBonus(schedule, BSC, 100_000_000e18 + 1, nowTime, 1 days);
        vm.expectRevert(badParameter("bonusDuration"));
        addBonus(schedule, BSC, 1e18, nowTime, 1 hours - 1);
        vm.expectRevert(badParameter("bonusDuration"));
        addBonus(schedule, BSC, 1e18, nowTime, 365 days + 1);
        vm.expectRevert(badParameter("chainId"));
        addBonus(schedule, 0, 1e18, nowTime, 1 days);
        // edges accepted: starting now, the largest amount, the shortest and longest durations
        addBonus(schedule, BSC, 100_000_000e18, nowTime, 1 hours);
        addBonus(schedule, BSC, 1, nowTime, 365 days);
        for (uint256 i = 2; i < 8; ++i) addBonus(schedule, BSC, 1e18, nowTime + 1 days, 1 days);
        assertEq(schedule.bonusesOf(BSC).length, 8, "eight bonuses");
        vm.expectRevert(badParameter("bonusCount"));
        addBonus(schedule, BSC, 1e18, nowTime + 1 days, 1 days);
        addBonus(schedule, HECO, 1e18, nowTime + 1 days, 1 days); // the limit is per chain
        // a bonus for a chain that has no weight is allowed (a chain about to launch)
        addBonus(schedule, AVAX, 1e18, nowTime, 1 hours);
        assertEq(schedule.cumulativeEmission(AVAX, nowTime + 1 hours), 1e18, "bonus-only chain");
    }

    /// @notice At most 16 chains ever: the seventeenth is refused even after others lost their weight.
    function test_setChainWeightsBps_revertsOnTooManyChains() public {
        setEqual(schedule, range(1, 12)); // CONFLUX, BSC, HECO + 1..12: 15 chains known
        vm.warp(START + 1 days);
        setEqual(schedule, ids(13)); // 16
        assertEq(schedule.chains().length, 16, "sixteen chains known");
        vm.warp(START + 2 days);
        vm.expectRevert(badParameter("chainCount"));
        setEqual(schedule, ids(14));
        vm.expectRevert(badParameter("chainCount"));
        setBps(schedule, ids(CONFLUX, 14), ids(5_000, 5_000));
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector); // 17 equal shares: refused first
        setEqual(schedule, range(1, 17));
        setEqual(schedule, ids(CONFLUX, 1, 13)); // chains known before remain usable
        assertEq(schedule.weightAt(2, CONFLUX), WEIGHT_TOTAL / 3, "CONFLUX back");
    }

    /// @notice Market weights: non-empty, at most 32, lengths equal, distinct non-zero markets, sum 10,000.
    function test_setMarketWeights_revertsOnBadWeights() public {
        (address[] memory m, uint16[] memory s, uint16[] memory b) = marketLists(3);
        (s[0], s[1], s[2], b[0], b[1], b[2]) = (2_000, 2_000, 1_000, 2_000, 2_000, 999);
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(m, s, b); // 9,999
        b[2] = 1_001;
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(m, s, b); // 10,001
        b[2] = 1_000;
        m[2] = m[0];
        vm.expectRevert(badParameter("market"));
        setMarkets(m, s, b); // duplicate
        m[2] = address(0);
        vm.expectRevert(badParameter("market"));
        setMarkets(m, s, b); // zero
        m[2] = address(0x3333);
        (address[] memory m2, uint16[] memory s2,) = marketLists(2);
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(m, s2, b); // lengths differ
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(m2, s2, b);
        (address[] memory none, uint16[] memory noneS, uint16[] memory noneB) = marketLists(0);
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(none, noneS, noneB);
        (address[] memory many, uint16[] memory manyS, uint16[] memory manyB) = marketLists(33);
        vm.expectRevert(IEmissionSchedule.ScheduleBadWeights.selector);
        setMarkets(many, manyS, manyB);

        setMarkets(m, s, b);
        IEmissionSchedule.MarketWeight[] memory list = schedule.marketWeights();
        assertEq(list.length, 3, "three markets");
        assertEq(list[2].market, address(0x3333), "third market");
        assertEq(list[2].borrowBps, 1_000, "its borrow weight");
        (m2[0], m2[1], s2[0], s2[1]) = (address(0x9), address(0x3333), 10_000, 0);
        uint16[] memory b2 = new uint16[](2);
        setMarkets(m2, s2, b2);
        assertEq(schedule.marketWeights().length, 2, "the list is replaced");
    }

    function marketLists(uint256 n) internal pure returns (address[] memory m, uint16[] memory s, uint16[] memory b) {
        m = new address[](n);
        s = new uint16[](n);
        b = new uint16[](n);
        for (uint256 i = 0; i < n; ++i) m[i] = address(uint160(0x1000 + i));
    }

    function setMarkets(address[] memory m, uint16[] memory s, uint16[] memory b) internal {
        vm.prank(TIMELOCK);
        schedule.setMarketWeights(m, s, b);
    }

    // ------------------------------------------------------------------ never retroactive, monotonic

    /// @notice A change at `when` leaves every chain's cumulative emission (and numerator) at every time <= `when` unchanged.
    /// @param when When the change executes.
    /// @param kind Which change.
    /// @param a First parameter of the change.
    /// @param b Second parameter of the change.
    /// @param probe Another time <= `when` to check.
    function testFuzz_governance_changesAreNeverRetroactive(uint256 when, uint256 kind, uint256 a, uint256 b, uint256 probe) public {
        EmissionSchedule s = buildSchedule(true);
        checkNotRetroactive(s, bound(when, block.timestamp, START + 3_000 days), kind, a, b, probe);
    }

    /// @notice The same for a change seconds after the previous one (a rewrite of the last segment would show here).
    /// @param gap Seconds since the previous change.
    /// @param kind Which change.
    /// @param a First parameter of the change.
    /// @param b Second parameter of the change.
    /// @param probe Another time <= the change to check.
    function testFuzz_governance_changeSecondsAfterAnotherIsNotRetroactive(uint256 gap, uint256 kind, uint256 a, uint256 b, uint256 probe)
        public
    {
        EmissionSchedule s = buildSchedule(true);
        checkNotRetroactive(s, block.timestamp + bound(gap, 0, 120), kind, a, b, probe);
    }

    /// @dev Applies one change at `when` and checks every chain at times <= `when` before and after.
    function checkNotRetroactive(EmissionSchedule s, uint256 when, uint256 kind, uint256 a, uint256 b, uint256 probe)
        internal
    {
        vm.warp(when);
        uint256[6] memory times = [when, when - 1, bound(probe, 0, when), START, START + 205 days, when / 2];
        uint256[] memory chains = allChains();
        uint256[6][5] memory amounts;
        uint256[6][5] memory numerators;
        for (uint256 c = 0; c < chains.length; ++c) {
            for (uint256 i = 0; i < times.length; ++i) {
                if (times[i] > when) continue;
                amounts[c][i] = s.cumulativeEmission(chains[c], times[i]);
                numerators[c][i] = s.baseNumerator(chains[c], times[i]);
            }
        }
        applyChange(s, kind, a, b);
        for (uint256 c = 0; c < chains.length; ++c) {
            for (uint256 i = 0; i < times.length; ++i) {
                if (times[i] > when) continue;
                assertEq(s.cumulativeEmission(chains[c], times[i]), amounts[c][i], "cumulative at t <= change unchanged");
                assertEq(s.baseNumerator(chains[c], times[i]), numerators[c][i], "numerator at t <= change unchanged");
            }
        }
    }

    /// @notice Changes before the start change nothing before the start.
    /// @param when When the change executes (before the start).
    /// @param kind Which change.
    /// @param a First parameter of the change.
    /// @param b Second parameter of the change.
    function testFuzz_governance_changesBeforeStart(uint256 when, uint256 kind, uint256 a, uint256 b) public {
        vm.warp(START - 30 days);
        EmissionSchedule s = deploy(START, FLAT_RATE, 0, ids(CONFLUX, BSC, HECO));
        when = bound(when, START - 30 days, START);
        vm.warp(when);
        applyChange(s, kind, a, b);
        assertEq(s.segmentCount(), 1, "segment 0 reused");
        uint256[] memory chains = allChains();
        for (uint256 c = 0; c < chains.length; ++c) {
            assertEq(s.baseNumerator(chains[c], START), 0, "nothing by the start");
        }
    }

    /// @dev One valid governance change picked by `kind`, parameters bounded from `a` and `b`.
    function applyChange(EmissionSchedule s, uint256 kind, uint256 a, uint256 b) internal {
        kind %= 5;
        if (kind == 0) {
            uint128 rate = uint128(bound(a, 0, 10_000_000e18));
            setRate(s, rate, uint128(bound(b, 0, rate)));
        } else if (kind == 1) {
            uint256 x = bound(a, 1, 9_999);
            setBps(s, ids(CONFLUX, 999), ids(x, 10_000 - x));
        } else if (kind == 2) {
            uint256[] memory pool = ids(BSC, HECO, 999, CONFLUX);
            uint256 n = bound(a, 1, 4);
            uint256[] memory chosen = new uint256[](n);
            for (uint256 i = 0; i < n; ++i) chosen[i] = pool[i];
            setEqual(s, chosen);
        } else if (kind == 3) {
            addBonus(s, b % 2 == 0 ? HECO : 999, uint128(bound(a, 1, 100_000_000e18)), uint64(block.timestamp + b % 30 days), 1 days);
        } else {
            uint128 rate = uint128(bound(a, 0, 10_000_000e18));
            setRate(s, rate, uint128(bound(b, 0, rate)));
            setEqual(s, ids(HECO, 999));
        }
    }

    /// @notice cumulativeEmission (and the numerator) never decreases in time, for every chain.
    /// @param t1 One time.
    /// @param t2 A later time.
    function testFuzz_cumulativeEmission_isMonotonic(uint256 t1, uint256 t2) public {
        EmissionSchedule s = buildSchedule(true);
        t1 = bound(t1, 0, START + 3_000 days);
        t2 = bound(t2, t1, START + 3_000 days);
        uint256[] memory chains = allChains();
        for (uint256 c = 0; c < chains.length; ++c) {
            assertLe(s.cumulativeEmission(chains[c], t1), s.cumulativeEmission(chains[c], t2), "cumulative monotonic");
            assertLe(s.baseNumerator(chains[c], t1), s.baseNumerator(chains[c], t2), "numerator monotonic");
        }
    }

    /// @notice The same, second by second, around every change point and the decline's zero.
    function test_cumulativeEmission_monotonicAroundChangePoints() public {
        EmissionSchedule s = buildSchedule(true);
        uint256[] memory chains = allChains();
        uint256[7] memory points =
            [uint256(START), START + 10 days, START + 14 days, START + 100 days, START + 150 days, START + 200 days, START + 217 days + 5];
        for (uint256 p = 0; p < points.length; ++p) {
            for (uint256 c = 0; c < chains.length; ++c) {
                for (uint256 t = points[p] - 3; t < points[p] + 3; ++t) {
                    assertLe(s.cumulativeEmission(chains[c], t), s.cumulativeEmission(chains[c], t + 1), "monotonic");
                }
            }
        }
    }
}
