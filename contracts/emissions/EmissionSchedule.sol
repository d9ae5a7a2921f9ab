// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IEmissionSchedule} from "./interfaces/IEmissionSchedule.sol";

/**
 * @title FLUX emission schedule (the same schedule is deployed on every chain)
 * @notice The protocol emits a base rate of FLUX a day (20,000 at launch) from a start time,
 *         divided between chains by weights, plus time-limited launch bonuses per chain. A
 *         schedule segment may carry a daily decline, so the original Flux curve (about 22,627 a
 *         day at launch, falling 16 a day) can be expressed. Every change is a Timelock action,
 *         effective from the moment it executes, never retroactive.
 *
 *         `cumulativeEmission(chainId, t)` is the exact FLUX a chain may have distributed by `t`.
 *
 * @dev Exactness. Within a segment the base rate is linear in time,
 *      rate(t) = (R - D (t - o) / DAY) / DAY wei per second (o: the line's origin), clamped at zero,
 *      so the emission between a and b, times 2 DAY^2, is the integer
 *      2 R DAY (b - a) - D ((b - o)^2 - (a - o)^2). A chain's share is w / WEIGHT_TOTAL with
 *      WEIGHT_TOTAL = 4,200,000 = 10,000 bps x 420, and 420 = lcm(1..7): basis points and equal
 *      shares among up to seven chains (and 8, 10, 12, 14 … any divisor) are exact. Each chain's
 *      base emission is therefore accumulated as an exact integer numerator over the fixed
 *      denominator SCALE = 2 DAY^2 WEIGHT_TOTAL and divided once, at the end, rounding down: no
 *      change, however many, loses or creates a wei, and the chains' amounts never sum above the
 *      protocol's. A weight-only change keeps the line's origin, so it does not bend the decline.
 *      Launch bonuses are linear from start to start + duration and pay exactly their amount.
 */
contract EmissionSchedule is IEmissionSchedule, OwnableUpgradeable, UUPSUpgradeable {

    /// @custom:storage-location erc7201:flux.storage.EmissionSchedule
    struct ScheduleStorage {
        Segment[] segments;
        uint256[] chainIds;
        mapping(uint256 chainId => bool) knownChain;
        mapping(uint256 segment => mapping(uint256 chainId => uint256)) weight;
        mapping(uint256 segment => mapping(uint256 chainId => uint256)) numeratorAtStart;
        mapping(uint256 chainId => Bonus[]) bonuses;
        MarketWeight[] marketWeights;
        /// @dev Every chain ever given a launch bonus, in the order of its first one (appended in
        ///      the namespaced struct: upgrade-safe).
        uint256[] bonusChainIds;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.EmissionSchedule")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x99e9c4f6f2be1efa3cef797d7a74683e2edffa4539a36d8e0b41bf8cf8b03b00;

    uint256 private constant DAY = 1 days;
    /// @notice Denominator of chain weights: 10,000 bps x 420 (lcm of 1..7).
    uint256 public constant WEIGHT_TOTAL = 4_200_000;
    /// @notice Denominator of the exact per-chain numerators.
    uint256 public constant SCALE = 2 * DAY * DAY * WEIGHT_TOTAL;
    /// @notice Most chains a schedule weighs.
    uint256 public constant MAX_CHAINS = 16;
    /// @notice Most launch bonuses per chain.
    uint256 public constant MAX_BONUSES = 8;
    /// @notice Upper bound of the daily rate: 10,000,000 FLUX a day.
    uint256 public constant MAX_RATE_PER_DAY = 10_000_000e18;
    /// @notice Upper bound of one bonus: 100,000,000 FLUX.
    uint256 public constant MAX_BONUS = 100_000_000e18;
    /// @notice Bonus duration bounds.
    uint256 public constant MIN_BONUS_DURATION = 1 hours;
    /// @notice Bonus duration bounds.
    uint256 public constant MAX_BONUS_DURATION = 365 days;
    /// @notice Most markets weighted on one chain.
    uint256 public constant MAX_MARKETS = 32;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the schedule behind its proxy.
     * @param owner_ The Timelock.
     * @param start Emission start time (may be in the future).
     * @param ratePerDay Base emission for all chains, wei per day (20,000e18 for FLUX).
     * @param declinePerDay Daily decline of the daily rate, wei (0 for a flat rate).
     * @param chainIds Active chains, sharing equally.
     */
    function initialize(
        address owner_,
        uint64 start,
        uint128 ratePerDay,
        uint128 declinePerDay,
        uint256[] calldata chainIds
    ) public initializer {
        __Ownable_init(owner_);
        _checkRate(ratePerDay, declinePerDay);
        ScheduleStorage storage $ = _storage();
        $.segments.push(Segment(start, start, ratePerDay, declinePerDay));
        emit SegmentStarted(0, start, start, ratePerDay, declinePerDay);
        _writeWeights(0, chainIds, _equalWeights(chainIds.length));
    }

    // ===================================================================== governance

    /// @inheritdoc IEmissionSchedule
    function setEmissionRate(uint128 ratePerDay, uint128 declinePerDay) external onlyOwner {
        _checkRate(ratePerDay, declinePerDay);
        (uint256 k, uint64 at) = _newSegment(false);
        Segment storage s = _storage().segments[k];
        s.origin = at;
        s.ratePerDay = ratePerDay;
        s.declinePerDay = declinePerDay;
        emit SegmentStarted(k, at, at, ratePerDay, declinePerDay);
    }

    /// @inheritdoc IEmissionSchedule
    function setChainWeightsBps(uint256[] calldata chainIds, uint256[] calldata bps) external onlyOwner {
        if (chainIds.length != bps.length || chainIds.length == 0) revert ScheduleBadWeights();
        uint256[] memory weights = new uint256[](bps.length);
        uint256 sum;
        for (uint256 i = 0; i < bps.length; ++i) {
            sum += bps[i];
            weights[i] = bps[i] * (WEIGHT_TOTAL / 10_000);
        }
        if (sum != 10_000) revert ScheduleBadWeights();
        (uint256 k,) = _newSegment(true);
        _writeWeights(k, chainIds, weights);
    }

    /// @inheritdoc IEmissionSchedule
    function setEqualChainWeights(uint256[] calldata chainIds) external onlyOwner {
        (uint256 k,) = _newSegment(true);
        _writeWeights(k, chainIds, _equalWeights(chainIds.length));
    }

    /// @inheritdoc IEmissionSchedule
    function addLaunchBonus(uint256 chainId, uint128 amount, uint64 start, uint64 duration) external onlyOwner {
        if (start < block.timestamp) revert ScheduleRetroactive(start, block.timestamp);
        if (amount == 0 || amount > MAX_BONUS) revert ScheduleBadParameter("bonusAmount");
        if (duration < MIN_BONUS_DURATION || duration > MAX_BONUS_DURATION) revert ScheduleBadParameter("bonusDuration");
        if (chainId == 0) revert ScheduleBadParameter("chainId");
        ScheduleStorage storage $ = _storage();
        Bonus[] storage list = $.bonuses[chainId];
        if (list.length >= MAX_BONUSES) revert ScheduleBadParameter("bonusCount");
        if (list.length == 0) {
            if ($.bonusChainIds.length >= MAX_CHAINS) revert ScheduleBadParameter("bonusChainCount");
            $.bonusChainIds.push(chainId);
        }
        list.push(Bonus(amount, start, duration));
        emit LaunchBonusAdded(chainId, list.length - 1, amount, start, duration);
    }

    /// @inheritdoc IEmissionSchedule
    function setMarketWeights(address[] calldata markets, uint16[] calldata supplyBps, uint16[] calldata borrowBps)
        external
        onlyOwner
    {
        uint256 n = markets.length;
        if (n == 0 || n > MAX_MARKETS || supplyBps.length != n || borrowBps.length != n) revert ScheduleBadWeights();
        MarketWeight[] storage list = _storage().marketWeights;
        while (list.length > 0) list.pop();
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            if (markets[i] == address(0)) revert ScheduleBadParameter("market");
            for (uint256 j = 0; j < i; ++j) {
                if (markets[j] == markets[i]) revert ScheduleBadParameter("market");
            }
            sum += uint256(supplyBps[i]) + borrowBps[i];
            list.push(MarketWeight(markets[i], supplyBps[i], borrowBps[i]));
        }
        if (sum != 10_000) revert ScheduleBadWeights();
        emit MarketWeightsSet(uint64(block.timestamp), markets, supplyBps, borrowBps);
    }

    // ===================================================================== views

    /// @inheritdoc IEmissionSchedule
    function cumulativeEmission(uint256 chainId, uint256 timestamp) external view returns (uint256 amount) {
        amount = baseNumerator(chainId, timestamp) / SCALE;
        Bonus[] storage list = _storage().bonuses[chainId];
        for (uint256 i = 0; i < list.length; ++i) amount += _bonusAt(list[i], timestamp);
    }

    /// @inheritdoc IEmissionSchedule
    function baseNumerator(uint256 chainId, uint256 timestamp) public view returns (uint256) {
        ScheduleStorage storage $ = _storage();
        Segment[] storage segs = $.segments;
        if (timestamp <= segs[0].start) return 0;
        // last segment with start <= timestamp
        uint256 lo = 0;
        uint256 hi = segs.length - 1;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (segs[mid].start <= timestamp) lo = mid;
            else hi = mid - 1;
        }
        return $.numeratorAtStart[lo][chainId] + _segmentNumerator(segs[lo], $.weight[lo][chainId], timestamp);
    }

    /// @inheritdoc IEmissionSchedule
    function segmentCount() external view returns (uint256) {
        return _storage().segments.length;
    }

    /// @inheritdoc IEmissionSchedule
    function segmentAt(uint256 index) external view returns (Segment memory) {
        return _storage().segments[index];
    }

    /// @inheritdoc IEmissionSchedule
    function weightAt(uint256 index, uint256 chainId) external view returns (uint256) {
        return _storage().weight[index][chainId];
    }

    /// @inheritdoc IEmissionSchedule
    function chains() external view returns (uint256[] memory) {
        return _storage().chainIds;
    }

    /// @inheritdoc IEmissionSchedule
    function bonusChains() external view returns (uint256[] memory) {
        return _storage().bonusChainIds;
    }

    /// @inheritdoc IEmissionSchedule
    function bonusesOf(uint256 chainId) external view returns (Bonus[] memory) {
        return _storage().bonuses[chainId];
    }

    /// @inheritdoc IEmissionSchedule
    function marketWeights() external view returns (MarketWeight[] memory) {
        return _storage().marketWeights;
    }

    // ===================================================================== internals

    /// @dev Starts a segment at max(now, start of schedule) copying the current line and weights;
    ///      before any emission (same start) the last segment is reused. `announce`: emit
    ///      SegmentStarted for the copied line (false when the caller sets a new line and emits
    ///      that, so each segment is announced once, with the line it really has).
    function _newSegment(bool announce) private returns (uint256 k, uint64 at) {
        ScheduleStorage storage $ = _storage();
        uint256 last = $.segments.length - 1;
        Segment memory prev = $.segments[last];
        at = uint64(block.timestamp) > prev.start ? uint64(block.timestamp) : prev.start;
        if (at == prev.start) return (last, at);
        k = last + 1;
        $.segments.push(Segment(at, prev.origin, prev.ratePerDay, prev.declinePerDay));
        uint256[] storage ids = $.chainIds;
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 c = ids[i];
            uint256 w = $.weight[last][c];
            $.weight[k][c] = w;
            $.numeratorAtStart[k][c] = $.numeratorAtStart[last][c] + _segmentNumerator(prev, w, at);
        }
        if (announce) emit SegmentStarted(k, at, prev.origin, prev.ratePerDay, prev.declinePerDay);
    }

    function _writeWeights(uint256 k, uint256[] memory chainIds, uint256[] memory weights) private {
        ScheduleStorage storage $ = _storage();
        uint256[] storage ids = $.chainIds;
        for (uint256 i = 0; i < ids.length; ++i) $.weight[k][ids[i]] = 0;
        uint256 sum;
        for (uint256 i = 0; i < chainIds.length; ++i) {
            uint256 c = chainIds[i];
            if (c == 0 || $.weight[k][c] != 0) revert ScheduleBadParameter("chainId");
            if (weights[i] == 0) revert ScheduleBadWeights();
            if (!$.knownChain[c]) {
                if (ids.length >= MAX_CHAINS) revert ScheduleBadParameter("chainCount");
                $.knownChain[c] = true;
                ids.push(c);
            }
            $.weight[k][c] = weights[i];
            sum += weights[i];
        }
        if (sum != WEIGHT_TOTAL) revert ScheduleBadWeights();
        uint256[] memory w = new uint256[](chainIds.length);
        for (uint256 i = 0; i < chainIds.length; ++i) w[i] = weights[i];
        emit ChainWeightsSet(k, $.segments[k].start, chainIds, w);
    }

    function _equalWeights(uint256 n) private pure returns (uint256[] memory weights) {
        if (n == 0 || n > MAX_CHAINS || WEIGHT_TOTAL % n != 0) revert ScheduleBadWeights();
        weights = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) weights[i] = WEIGHT_TOTAL / n;
    }

    /// @dev w x 2 DAY^2 x (base emission of segment `s` between its start and `t`).
    function _segmentNumerator(Segment memory s, uint256 w, uint256 t) private pure returns (uint256) {
        if (w == 0 || t <= s.start) return 0;
        uint256 a = s.start - s.origin;
        uint256 b = t - s.origin;
        uint256 r = s.ratePerDay;
        uint256 d = s.declinePerDay;
        if (d != 0) {
            uint256 zeroAt = r * DAY / d; // seconds after origin when the rate reaches zero
            if (a > zeroAt) a = zeroAt;
            if (b > zeroAt) b = zeroAt;
        }
        return w * (2 * r * DAY * (b - a) - d * (b * b - a * a));
    }

    function _bonusAt(Bonus memory bonus, uint256 t) private pure returns (uint256) {
        if (t <= bonus.start) return 0;
        uint256 elapsed = t - bonus.start;
        if (elapsed >= bonus.duration) return bonus.amount;
        return uint256(bonus.amount) * elapsed / bonus.duration;
    }

    function _checkRate(uint128 ratePerDay, uint128 declinePerDay) private pure {
        if (ratePerDay > MAX_RATE_PER_DAY) revert ScheduleBadParameter("ratePerDay");
        if (declinePerDay > ratePerDay) revert ScheduleBadParameter("declinePerDay");
    }

    /// @dev Only the Timelock may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (ScheduleStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
